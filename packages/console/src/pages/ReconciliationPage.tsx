import { useQuery } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { Dimension, Discrepancy } from '../api/types';
import { QueryView, TableScroll } from '../components/states';
import { Money } from '../components/values';
import { previousCRMonth } from '../format/cr-time';
import { usePageTitle } from './page-title';

const DIMENSIONS: Dimension[] = ['vendedor', 'ventana', 'banca'];

export function ReconciliationPage() {
  usePageTitle('Reconciliation');
  const [params, setParams] = useSearchParams();
  const month = params.get('month') ?? previousCRMonth(new Date());
  const dimension = (params.get('dimension') ?? '') as Dimension | '';
  const query = { month, limit: 500, ...(dimension ? { dimension } : {}) };
  const report = useQuery({ queryKey: ['reconciliation', query], queryFn: () => unwrap(api.GET('/admin/reconciliation', { params: { query } })) });

  const choose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams({ month: String(form.get('month')) });
    if (form.get('dimension')) next.set('dimension', String(form.get('dimension')));
    setParams(next);
  };

  return (
    <>
      <h1>Reconciliation</h1>
      <p className="muted">Statements against their movements and the chain of balances, and closings against the statements of their month.</p>
      <form className="filters" onSubmit={choose} aria-label="Choose a month" key={params.toString()}>
        <label>
          Month (CR)
          <input type="month" name="month" defaultValue={month} required />
        </label>
        <label>
          Dimension
          <select name="dimension" defaultValue={dimension}>
            <option value="">all</option>
            {DIMENSIONS.map((value) => (
              <option key={value}>{value}</option>
            ))}
          </select>
        </label>
        <button type="submit">Reconcile</button>
      </form>
      <QueryView query={report} what="the reconciliation">
        {(data) =>
          data.clean ? (
            <p className="notice notice-ok big" role="status" data-testid="reconciliation-result">
              {data.month} is clean: no discrepancies{data.dimension ? ` among ${data.dimension}s` : ''}.
            </p>
          ) : (
            <>
              <p className="notice notice-error" role="status" data-testid="reconciliation-result">
                {data.month}: {data.total} discrepancies
                {data.truncated ? `, the first ${data.discrepancies.length} shown` : ''} — statement chain {data.counts.STATEMENT_CHAIN}, statement movements {data.counts.STATEMENT_MOVEMENTS}, closing opening {data.counts.CLOSING_OPENING}, closing totals {data.counts.CLOSING_TOTALS}.
              </p>
              <TableScroll label="Discrepancies">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Kind</th>
                      <th scope="col">Entity</th>
                      <th scope="col">When</th>
                      <th scope="col">Difference</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.discrepancies.map((item, index) => (
                      <tr key={index}>
                        <td>
                          <code>{item.kind}</code>
                        </td>
                        <td>
                          {item.entityName ?? item.entityId} <span className="muted small">({item.dimension})</span>
                        </td>
                        <td>{'date' in item ? item.date : item.month}</td>
                        <td>
                          <Difference item={item} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            </>
          )
        }
      </QueryView>
    </>
  );
}

function Difference({ item }: { item: Discrepancy }) {
  switch (item.kind) {
    case 'STATEMENT_CHAIN':
      return (
        <>
          remaining <Money amount={item.storedRemaining} />, expected <Money amount={item.expectedRemaining} /> (previous <Money amount={item.previousRemaining} />)
        </>
      );
    case 'STATEMENT_MOVEMENTS':
      return (
        <>
          paid <Money amount={item.storedPaid} /> vs movements <Money amount={item.movementsPaid} />; collected <Money amount={item.storedCollected} /> vs movements <Money amount={item.movementsCollected} />
        </>
      );
    case 'CLOSING_OPENING':
      return (
        <>
          opening <Money amount={item.openingBalance} />, previous month's remaining <Money amount={item.previousRemaining} />
        </>
      );
    case 'CLOSING_TOTALS':
      return (
        <>
          {item.field}: closing <Money amount={item.closing} />, statements <Money amount={item.statements} />
        </>
      );
  }
}
