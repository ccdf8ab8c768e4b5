import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { AllowanceScheduleView } from '../api/types';
import { Empty, QueryView, TableScroll } from '../components/states';
import { CrTime, Money, StatusBadge } from '../components/values';
import { usePageTitle } from './page-title';

type Who = 'guardianId' | 'juniorId';

export function AllowancesPage() {
  usePageTitle('Allowances');
  const [params, setParams] = useSearchParams();
  const who = (params.get('by') === 'junior' ? 'juniorId' : 'guardianId') as Who;
  const id = params.get('id') ?? '';
  const schedules = useQuery({
    queryKey: ['allowances', who, id],
    enabled: id !== '',
    queryFn: () => unwrap(api.GET('/admin/allowances', { params: { query: { [who]: id, limit: 100 } } })),
  });

  const find = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setParams({ by: String(form.get('by')), id: String(form.get('id') ?? '').trim() });
  };

  return (
    <>
      <h1>Allowances</h1>
      <form className="filters" onSubmit={find} aria-label="Find allowance schedules" key={params.toString()}>
        <label>
          Find by
          <select name="by" defaultValue={who === 'juniorId' ? 'junior' : 'guardian'}>
            <option value="guardian">guardian</option>
            <option value="junior">junior</option>
          </select>
        </label>
        <label>
          Id
          <input name="id" defaultValue={id} required placeholder="uuid" className="wide" />
        </label>
        <button type="submit">Find</button>
      </form>
      {id === '' ? (
        <Empty>Enter a guardian's or a junior's id to see their allowance schedules.</Empty>
      ) : (
        <QueryView query={schedules} what="allowance schedules">
          {(data) => (data.items.length === 0 ? <Empty>No allowance schedules for that {who === 'juniorId' ? 'junior' : 'guardian'}.</Empty> : <Schedules schedules={data.items} />)}
        </QueryView>
      )}
    </>
  );
}

function Schedules({ schedules }: { schedules: AllowanceScheduleView[] }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <TableScroll label="Allowance schedules">
        <table>
          <thead>
            <tr>
              <th scope="col">Junior</th>
              <th scope="col">Amount</th>
              <th scope="col">Every</th>
              <th scope="col">Status</th>
              <th scope="col">Next run</th>
              <th scope="col">Last run</th>
              <th scope="col">Last failure</th>
              <th scope="col">Credits</th>
            </tr>
          </thead>
          <tbody>
            {schedules.map((schedule) => (
              <tr key={schedule.id} data-schedule-id={schedule.id}>
                <td className="mono small" title={schedule.juniorId}>
                  {schedule.juniorId.slice(0, 8)}
                </td>
                <td className="number">
                  <Money amount={schedule.amount} />
                </td>
                <td>{schedule.frequency.toLowerCase()}</td>
                <td>
                  <StatusBadge status={schedule.deletedAt ? 'deleted' : schedule.status} />
                </td>
                <td>
                  <CrTime iso={schedule.nextRunAt} />
                </td>
                <td>
                  <CrTime iso={schedule.lastRunAt} empty="never" />
                </td>
                <td>
                  {schedule.lastFailedRunAt === null ? (
                    <span className="muted">none</span>
                  ) : (
                    <>
                      <CrTime iso={schedule.lastFailedRunAt} />
                      <div className="small error-text">{schedule.lastFailureReason}</div>
                    </>
                  )}
                </td>
                <td>
                  <button type="button" className="link-button" aria-expanded={open === schedule.id} onClick={() => setOpen(open === schedule.id ? null : schedule.id)}>
                    {open === schedule.id ? 'Hide' : 'Show'} credits
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {open !== null && <Credits schedule={schedules.find((schedule) => schedule.id === open)!} />}
    </>
  );
}

function Credits({ schedule }: { schedule: AllowanceScheduleView }) {
  const scheduleId = schedule.id;
  const credits = useQuery({
    queryKey: ['allowance-credits', scheduleId],
    queryFn: () => unwrap(api.GET('/admin/allowances/{scheduleId}/credits', { params: { path: { scheduleId }, query: { limit: 100 } } })),
  });
  return (
    <section aria-labelledby="credits-heading" className="card">
      <h2 id="credits-heading">
        Credits of the <Money amount={schedule.amount} /> {schedule.frequency.toLowerCase()} allowance of junior <span className="mono">{schedule.juniorId.slice(0, 8)}</span>
      </h2>
      <QueryView query={credits} what="credits">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>Nothing credited yet.</Empty>
          ) : (
            <TableScroll label="Credits">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Run of</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Credited</th>
                    <th scope="col">Transaction</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((credit) => (
                    <tr key={credit.transactionId}>
                      <td>
                        <CrTime iso={credit.runAt} />
                      </td>
                      <td className="number">
                        <Money amount={credit.amount} />
                      </td>
                      <td>
                        <CrTime iso={credit.creditedAt} />
                      </td>
                      <td className="mono small">{credit.transactionId}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryView>
    </section>
  );
}
