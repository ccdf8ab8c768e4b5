import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import type { JobView, Readiness, RunView } from '../api/types';
import { RunStrip } from '../components/RunStrip';
import { ErrorNotice, Loading, QueryView, TableScroll } from '../components/states';
import { CrTime, Duration, StatusBadge } from '../components/values';
import { usePageTitle } from './page-title';

const STRIP_DAYS = 14;

export function OverviewPage() {
  usePageTitle('Overview');
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: () => unwrap(api.GET('/admin/jobs')), refetchInterval: 30_000 });
  return (
    <>
      <h1>Overview</h1>
      <section aria-labelledby="health-heading" className="cards">
        <h2 id="health-heading" className="visually-hidden">
          Health
        </h2>
        <ReadinessCard />
        <DeadLetterCard />
      </section>
      <section aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs</h2>
        <QueryView query={jobs} what="the jobs">
          {(data) => <JobsTable jobs={data.jobs} />}
        </QueryView>
      </section>
    </>
  );
}

function JobsTable({ jobs }: { jobs: JobView[] }) {
  const now = useMemo(() => new Date(), []);
  const from = new Date(now.getTime() - STRIP_DAYS * 86_400_000).toISOString();
  const runs = useQueries({
    queries: jobs.map((job) => ({
      queryKey: ['runs', 'strip', job.name, from],
      queryFn: () => unwrap(api.GET('/admin/runs', { params: { query: { job: job.name, from, limit: 500 } } })),
    })),
  });
  return (
    <TableScroll label="Jobs">
      <table className="jobs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">CR time</th>
            <th scope="col">Next run</th>
            <th scope="col">Last run</th>
            <th scope="col">Last {STRIP_DAYS} days</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job, index) => {
            const strip = runs[index]!;
            return (
              <tr key={job.name} data-job={job.name}>
                <th scope="row">
                  <Link to={`/runs?job=${encodeURIComponent(job.name)}`}>{job.name}</Link>
                  <div className="muted small">{job.description}</div>
                  <div className="muted small">
                    <code>{job.cron}</code> UTC
                  </div>
                </th>
                <td data-label="CR time">{job.crTime}</td>
                <td data-label="Next run">
                  <CrTime iso={job.nextRun} empty="not scheduled" />
                </td>
                <td data-label="Last run">
                  {job.lastRun === null ? (
                    <span className="muted">never run</span>
                  ) : (
                    <>
                      <Link to={`/runs/${job.lastRun.id}`}>
                        <StatusBadge status={job.lastRun.status} />
                      </Link>{' '}
                      <Duration ms={job.lastRun.durationMs} />
                      <div className="small">
                        <CrTime iso={job.lastRun.startedAt} />
                      </div>
                    </>
                  )}
                </td>
                <td className="strip-cell" data-label={`Last ${STRIP_DAYS} days`}>
                  {strip.isPending ? <Loading what="runs" /> : strip.error ? <ErrorNotice error={strip.error} /> : <RunStrip runs={strip.data!.items as RunView[]} days={STRIP_DAYS} now={now} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

function ReadinessCard() {
  const readiness = useQuery({
    queryKey: ['readiness'],
    queryFn: async (): Promise<Readiness> => {
      // Not ready is a 503 with the same body: both are an answer to show.
      const { data, error } = await api.GET('/health/ready');
      return data ?? (error as Readiness);
    },
    refetchInterval: 30_000,
  });
  return (
    <div className="card">
      <h3>Readiness</h3>
      <QueryView query={readiness} what="readiness">
        {(data) => (
          <>
            <p>
              <StatusBadge status={data.status === 'ready' ? 'ready' : 'not-ready'} />
            </p>
            <ul className="plain">
              {Object.entries(data.checks).map(([name, check]) => (
                <li key={name}>
                  {name}: <StatusBadge status={check.status} />
                </li>
              ))}
            </ul>
          </>
        )}
      </QueryView>
    </div>
  );
}

function DeadLetterCard() {
  const open = useQuery({
    queryKey: ['dead-letters', 'open-count'],
    queryFn: () => unwrap(api.GET('/admin/dead-letters', { params: { query: { status: 'open', limit: 500 } } })),
    refetchInterval: 30_000,
  });
  return (
    <div className="card">
      <h3>Open dead letters</h3>
      <QueryView query={open} what="dead letters">
        {(data) => (
          <p>
            <Link to="/dead-letters" className="big-number" data-testid="open-dead-letters">
              {data.items.length}
              {data.nextCursor !== null ? '+' : ''}
            </Link>{' '}
            {data.items.length === 0 ? 'none waiting' : 'waiting for replay or purge'}
          </p>
        )}
      </QueryView>
    </div>
  );
}
