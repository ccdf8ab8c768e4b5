import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { DeadLetterStatus, DeadLetterView } from '../api/types';
import { Empty, ErrorNotice, QueryView, TableScroll } from '../components/states';
import { CrTime, StatusBadge } from '../components/values';
import { usePageTitle } from './page-title';

const STATUSES: DeadLetterStatus[] = ['open', 'replaying', 'replayed', 'purged', 'any'];
const PAGE_SIZE = 100;

export function DeadLettersPage() {
  usePageTitle('Dead letters');
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? 'open') as DeadLetterStatus;
  const reasonCode = params.get('reason') ?? '';
  const cursor = params.get('cursor') ?? undefined;
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [purgeReason, setPurgeReason] = useState('');
  const [confirmAll, setConfirmAll] = useState(false);

  const query = { status, limit: PAGE_SIZE, ...(reasonCode ? { reasonCode } : {}), ...(cursor ? { cursor } : {}) };
  const letters = useQuery({ queryKey: ['dead-letters', query], queryFn: () => unwrap(api.GET('/admin/dead-letters', { params: { query } })) });
  const done = () => {
    setChosen(new Set());
    void queryClient.invalidateQueries({ queryKey: ['dead-letters'] });
  };
  const replay = useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) => unwrap(api.POST('/admin/dead-letters/replay', { body })),
    onSuccess: done,
  });
  const purge = useMutation({
    mutationFn: (body: { ids: string[]; reason: string }) => unwrap(api.POST('/admin/dead-letters/purge', { body })),
    onSuccess: () => {
      setPurgeReason('');
      done();
    },
  });

  const filter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    next.set('status', String(form.get('status')));
    const reason = String(form.get('reason') ?? '').trim();
    if (reason) next.set('reason', reason);
    setChosen(new Set());
    setParams(next);
  };
  const toggle = (id: string) =>
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const ids = [...chosen];

  return (
    <>
      <h1>Dead letters</h1>
      <p className="muted">Allowance runs that failed every attempt. A replay publishes the run again; a run is credited at most once.</p>
      <form className="filters" onSubmit={filter} aria-label="Filter dead letters" key={params.toString()}>
        <label>
          Status
          <select name="status" defaultValue={status}>
            {STATUSES.map((value) => (
              <option key={value}>{value}</option>
            ))}
          </select>
        </label>
        <label>
          Reason code
          <input name="reason" defaultValue={reasonCode} placeholder="e.g. ALLOWANCE.JUNIOR_NOT_FOUND" />
        </label>
        <button type="submit">Show</button>
      </form>
      <div className="actions" aria-label="Act on dead letters" role="group">
        <button type="button" disabled={ids.length === 0 || replay.isPending} onClick={() => replay.mutate({ ids })}>
          Replay chosen ({ids.length})
        </button>
        <button type="button" className="secondary" disabled={replay.isPending} onClick={() => setConfirmAll(true)}>
          Replay all open…
        </button>
        <form
          className="inline"
          onSubmit={(event) => {
            event.preventDefault();
            purge.mutate({ ids, reason: purgeReason.trim() });
          }}
        >
          <label htmlFor="purge-reason">Purge reason</label>
          <input id="purge-reason" value={purgeReason} onChange={(event) => setPurgeReason(event.target.value)} required />
          <button type="submit" className="danger" disabled={ids.length === 0 || purgeReason.trim() === '' || purge.isPending}>
            Purge chosen ({ids.length})
          </button>
        </form>
      </div>
      {confirmAll && (
        <div className="confirm" role="alertdialog" aria-labelledby="replay-all-text">
          <p id="replay-all-text">Replay every open dead letter now?</p>
          <button
            type="button"
            autoFocus
            onClick={() => {
              setConfirmAll(false);
              replay.mutate({ all: true });
            }}
          >
            Yes, replay all
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setConfirmAll(false)}>
            Cancel
          </button>
        </div>
      )}
      {replay.error && <ErrorNotice error={replay.error} />}
      {purge.error && <ErrorNotice error={purge.error} />}
      {replay.data && (
        <p className="notice notice-ok" role="status" data-testid="replay-result">
          Replayed {replay.data.replayed.length}
          {replay.data.notReplayed.length > 0 ? `; not replayed: ${replay.data.notReplayed.map((item) => `${item.id} (${item.reason})`).join(', ')}` : ''}.
        </p>
      )}
      {purge.data && (
        <p className="notice notice-ok" role="status">
          Purged {purge.data.purged.length}
          {purge.data.notPurged.length > 0 ? `; not purged: ${purge.data.notPurged.map((item) => `${item.id} (${item.reason})`).join(', ')}` : ''}.
        </p>
      )}
      <QueryView query={letters} what="dead letters">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No {status === 'any' ? '' : `${status} `}dead letters{reasonCode ? ` with reason ${reasonCode}` : ''}.</Empty>
          ) : (
            <>
              <LetterTable letters={data.items} chosen={chosen} toggle={toggle} />
              {data.nextCursor !== null && (
                <button type="button" className="link-button" onClick={() => setParams(new URLSearchParams({ ...Object.fromEntries(params), cursor: data.nextCursor! }))}>
                  Older dead letters
                </button>
              )}
            </>
          )
        }
      </QueryView>
    </>
  );
}

function LetterTable({ letters, chosen, toggle }: { letters: DeadLetterView[]; chosen: Set<string>; toggle: (id: string) => void }) {
  return (
    <TableScroll label="Dead letters">
      <table>
        <thead>
          <tr>
            <th scope="col">Choose</th>
            <th scope="col">Dead-lettered</th>
            <th scope="col">Reason</th>
            <th scope="col">Schedule</th>
            <th scope="col">Run at</th>
            <th scope="col">Attempts</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {letters.map((letter) => (
            <tr key={letter.id} data-dead-letter-id={letter.id}>
              <td>
                <input type="checkbox" checked={chosen.has(letter.id)} onChange={() => toggle(letter.id)} aria-label={`Choose dead letter ${letter.id}`} disabled={letter.status !== 'open'} />
              </td>
              <td>
                <CrTime iso={letter.deadLetteredAt} />
              </td>
              <td>
                <code>{letter.reasonCode}</code>
                <div className="muted small">{letter.reason}</div>
              </td>
              <td className="mono small">{letter.scheduleId ?? '—'}</td>
              <td>
                <CrTime iso={letter.runAt} />
              </td>
              <td className="number">{letter.attempts}</td>
              <td>
                <StatusBadge status={letter.status} />
                {letter.purgeReason && <div className="muted small">{letter.purgeReason}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
