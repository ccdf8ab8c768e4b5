import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { QueryView } from '../components/states';
import { CrTime, Duration, StatusBadge } from '../components/values';
import { usePageTitle } from './page-title';

export function RunDetailPage() {
  const { id = '' } = useParams();
  usePageTitle(`Run ${id}`);
  const run = useQuery({
    queryKey: ['run', id],
    queryFn: () => unwrap(api.GET('/admin/runs/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data?.status === 'RUNNING' ? 1000 : false),
  });
  return (
    <>
      <p>
        <Link to="/runs">← All runs</Link>
      </p>
      <h1>Run #{id}</h1>
      <QueryView query={run} what="the run">
        {(data) => (
          <>
            <dl className="facts">
              <dt>Job</dt>
              <dd>{data.job}</dd>
              <dt>Status</dt>
              <dd aria-live="polite" data-testid="run-status">
                <StatusBadge status={data.status} />
              </dd>
              <dt>Trigger</dt>
              <dd>
                {data.trigger ?? '—'} by {data.triggeredBy ?? '—'}
              </dd>
              <dt>Started</dt>
              <dd>
                <CrTime iso={data.startedAt} />
              </dd>
              <dt>Finished</dt>
              <dd>
                <CrTime iso={data.finishedAt} empty="still running" />
              </dd>
              <dt>Duration</dt>
              <dd>
                <Duration ms={data.durationMs} />
              </dd>
              <dt>Processed</dt>
              <dd>{data.processedCount}</dd>
              {data.errorMessage !== null && (
                <>
                  <dt>Error</dt>
                  <dd className="error-text">{data.errorMessage}</dd>
                </>
              )}
            </dl>
            <h2>Summary</h2>
            {data.summary === null ? <p className="muted">No summary recorded.</p> : <pre className="summary" tabIndex={0} aria-label="Run summary">{JSON.stringify(data.summary, null, 2)}</pre>}
          </>
        )}
      </QueryView>
    </>
  );
}
