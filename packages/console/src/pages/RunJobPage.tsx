import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import type { JobName } from '../api/types';
import { ErrorNotice, QueryView } from '../components/states';
import { CrTime, Duration, StatusBadge } from '../components/values';
import { previousCRMonth } from '../format/cr-time';
import { usePageTitle } from './page-title';

interface Request {
  job: JobName;
  month: string | null;
}

export function RunJobPage() {
  usePageTitle('Run a job');
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: () => unwrap(api.GET('/admin/jobs')) });
  const [job, setJob] = useState<JobName | ''>('');
  const [month, setMonth] = useState(() => previousCRMonth(new Date()));
  const [pending, setPending] = useState<Request | null>(null);
  const queryClient = useQueryClient();

  const trigger = useMutation({
    mutationFn: (request: Request) =>
      unwrap(
        api.POST('/admin/jobs/{name}/trigger', {
          params: { path: { name: request.job } },
          body: { wait: false, ...(request.month !== null ? { month: request.month } : {}) },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['jobs'] }),
  });

  const ask = (event: FormEvent) => {
    event.preventDefault();
    if (job === '') return;
    trigger.reset();
    setPending({ job, month: job === 'monthly-closing' ? month : null });
  };
  const confirm = () => {
    if (pending) trigger.mutate(pending);
    setPending(null);
  };

  return (
    <>
      <h1>Run a job</h1>
      <QueryView query={jobs} what="the jobs">
        {(data) => (
          <form onSubmit={ask} className="stack">
            <label htmlFor="job">Job</label>
            <select id="job" value={job} onChange={(event) => setJob(event.target.value as JobName | '')} required>
              <option value="">Choose a job</option>
              {data.jobs.map((view) => (
                <option key={view.name} value={view.name}>
                  {view.name} — {view.description}
                </option>
              ))}
            </select>
            {job === 'monthly-closing' && (
              <>
                <label htmlFor="month">Month to close (CR)</label>
                <input id="month" type="month" value={month} onChange={(event) => setMonth(event.target.value)} required pattern="\d{4}-\d{2}" />
              </>
            )}
            <button type="submit" disabled={job === '' || trigger.isPending}>
              Run…
            </button>
          </form>
        )}
      </QueryView>
      {pending !== null && (
        <div className="confirm" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">
            Run <strong>{pending.job}</strong>
            {pending.month !== null ? ` for ${pending.month}` : ''} now, on the live data?
          </p>
          <button type="button" onClick={confirm} autoFocus>
            Yes, run it
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setPending(null)}>
            Cancel
          </button>
        </div>
      )}
      {trigger.error && <ErrorNotice error={trigger.error} />}
      {trigger.data && <FollowedRun runId={trigger.data.runId} job={trigger.data.job} />}
    </>
  );
}

/** The run just started, asked again every second until it ends. */
function FollowedRun({ runId, job }: { runId: string | null; job: string }) {
  const run = useQuery({
    queryKey: ['run', runId],
    enabled: runId !== null,
    queryFn: () => unwrap(api.GET('/admin/runs/{id}', { params: { path: { id: runId! } } })),
    refetchInterval: (query) => (query.state.data?.status === 'RUNNING' || query.state.data === undefined ? 1000 : false),
  });
  if (runId === null) return <p className="notice">The run of {job} ended, but its record could not be written.</p>;
  return (
    <section aria-labelledby="followed" className="card">
      <h2 id="followed">
        {job}, run #{runId}
      </h2>
      <QueryView query={run} what="the run">
        {(data) => (
          <>
            <p aria-live="polite" data-testid="followed-status">
              <StatusBadge status={data.status} /> {data.status === 'RUNNING' ? 'running…' : <Duration ms={data.durationMs} />}
            </p>
            <p className="small">
              Started <CrTime iso={data.startedAt} />
              {data.status !== 'RUNNING' && ` · ${data.processedCount} processed`}
            </p>
            {data.errorMessage !== null && <p className="error-text">{data.errorMessage}</p>}
            <Link to={`/runs/${runId}`}>Open the run</Link>
          </>
        )}
      </QueryView>
    </section>
  );
}
