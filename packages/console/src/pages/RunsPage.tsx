import { useQuery } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { JobName, RunQuery } from '../api/types';
import { Empty, QueryView, TableScroll } from '../components/states';
import { CrTime, Duration, StatusBadge } from '../components/values';
import { addDays, crDayStart } from '../format/cr-time';
import { usePageTitle } from './page-title';

const STATUSES = ['RUNNING', 'SUCCESS', 'FAILED', 'SKIPPED'] as const;
const TRIGGERS = ['schedule', 'manual'] as const;
const PAGE_SIZE = 50;


function queryOf(params: URLSearchParams): RunQuery {
  const query: RunQuery = { limit: PAGE_SIZE };
  const job = params.get('job');
  const status = params.get('status');
  const trigger = params.get('trigger');
  const from = params.get('from');
  const to = params.get('to');
  const cursor = params.get('cursor');
  if (job) query.job = job as JobName;
  if (status) query.status = status as RunQuery['status'];
  if (trigger) query.trigger = trigger as RunQuery['trigger'];
  if (from) query.from = crDayStart(from).toISOString();
  // A "to" date includes its whole CR day.
  if (to) query.to = crDayStart(addDays(to, 1)).toISOString();
  if (cursor) query.cursor = cursor;
  return query;
}

export function RunsPage() {
  usePageTitle('Runs');
  const [params, setParams] = useSearchParams();
  const query = queryOf(params);
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: () => unwrap(api.GET('/admin/jobs')) });
  const runs = useQuery({ queryKey: ['runs', query], queryFn: () => unwrap(api.GET('/admin/runs', { params: { query } })) });

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of ['job', 'status', 'trigger', 'from', 'to']) {
      const value = String(form.get(name) ?? '');
      if (value !== '') next.set(name, value);
    }
    setParams(next);
  };
  const withCursor = (cursor: string | null) => {
    const next = new URLSearchParams(params);
    if (cursor === null) next.delete('cursor');
    else next.set('cursor', cursor);
    return `?${next.toString()}`;
  };

  return (
    <>
      <h1>Runs</h1>
      <form className="filters" onSubmit={applyFilters} aria-label="Filter runs" key={params.toString()}>
        <label>
          Job
          <select name="job" defaultValue={params.get('job') ?? ''}>
            <option value="">any</option>
            {(jobs.data?.jobs ?? []).map((job) => (
              <option key={job.name}>{job.name}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select name="status" defaultValue={params.get('status') ?? ''}>
            <option value="">any</option>
            {STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </label>
        <label>
          Trigger
          <select name="trigger" defaultValue={params.get('trigger') ?? ''}>
            <option value="">any</option>
            {TRIGGERS.map((trigger) => (
              <option key={trigger}>{trigger}</option>
            ))}
          </select>
        </label>
        <label>
          From (CR date)
          <input type="date" name="from" defaultValue={params.get('from') ?? ''} />
        </label>
        <label>
          To (CR date)
          <input type="date" name="to" defaultValue={params.get('to') ?? ''} />
        </label>
        <button type="submit">Show runs</button>
      </form>
      <QueryView query={runs} what="runs">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No runs match these filters.</Empty>
          ) : (
            <>
              <TableScroll label="Runs">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Started</th>
                      <th scope="col">Job</th>
                      <th scope="col">Status</th>
                      <th scope="col">Trigger</th>
                      <th scope="col">Duration</th>
                      <th scope="col">Processed</th>
                      <th scope="col">Run</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((run) => (
                      <tr key={run.id} data-run-id={run.id}>
                        <td>
                          <CrTime iso={run.startedAt} />
                        </td>
                        <td>{run.job}</td>
                        <td>
                          <StatusBadge status={run.status} />
                        </td>
                        <td>
                          {run.trigger ?? '—'}
                          {run.triggeredBy && run.triggeredBy !== 'SYSTEM' ? <span className="muted small"> by {run.triggeredBy}</span> : null}
                        </td>
                        <td>
                          <Duration ms={run.durationMs} />
                        </td>
                        <td className="number">{run.processedCount}</td>
                        <td>
                          <Link to={`/runs/${run.id}`} aria-label={`Run ${run.id} of ${run.job}`}>
                            #{run.id}
                          </Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              <nav className="pager" aria-label="Pages of runs">
                {params.get('cursor') !== null && <Link to={withCursor(null)}>Newest</Link>}
                {data.nextCursor !== null && <Link to={withCursor(data.nextCursor)}>Older runs</Link>}
              </nav>
            </>
          )
        }
      </QueryView>
    </>
  );
}
