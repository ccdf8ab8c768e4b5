import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, api, unwrap } from '../api/client';
import type { ClosingsPage as Closings, Dimension } from '../api/types';
import { Empty, ErrorNotice, QueryView, TableScroll } from '../components/states';
import { CrTime, Money } from '../components/values';
import { previousCRMonth } from '../format/cr-time';
import { usePageTitle } from './page-title';

const DIMENSIONS: Dimension[] = ['vendedor', 'ventana', 'banca'];
type Sort = Closings['sort'];
const CSV_TYPE = 'text/csv';

export function ClosingsPage() {
  usePageTitle('Closings');
  const [params, setParams] = useSearchParams();
  const month = params.get('month') ?? previousCRMonth(new Date());
  const dimension = (params.get('dimension') ?? 'vendedor') as Dimension;
  const sort = (params.get('sort') ?? 'name') as Sort;
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const cursor = params.get('cursor') ?? undefined;
  const query = { month, dimension, sort, order, limit: 500, ...(cursor ? { cursor } : {}) } as const;
  // Asked without `Accept: text/csv`, the answer is the JSON page.
  const closings = useQuery({ queryKey: ['closings', query], queryFn: () => unwrap(api.GET('/admin/closings', { params: { query } })) as Promise<Closings> });
  const download = useMutation({ mutationFn: () => downloadCsv(month, dimension) });

  const choose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setParams({ month: String(form.get('month')), dimension: String(form.get('dimension')) });
  };
  const sortBy = (column: Sort) => {
    const next = new URLSearchParams(params);
    next.set('month', month);
    next.set('dimension', dimension);
    next.set('sort', column);
    next.set('order', sort === column && order === 'asc' ? 'desc' : 'asc');
    next.delete('cursor');
    setParams(next);
  };
  const header = (column: Sort, label: string, numeric = false) => (
    <th scope="col" aria-sort={sort === column ? (order === 'asc' ? 'ascending' : 'descending') : 'none'} className={numeric ? 'number' : undefined}>
      <button type="button" className="sort" onClick={() => sortBy(column)}>
        {label} {sort === column ? (order === 'asc' ? '▲' : '▼') : ''}
      </button>
    </th>
  );

  return (
    <>
      <h1>Closings</h1>
      <form className="filters" onSubmit={choose} aria-label="Choose a closing" key={params.toString()}>
        <label>
          Month (CR)
          <input type="month" name="month" defaultValue={month} required />
        </label>
        <label>
          Dimension
          <select name="dimension" defaultValue={dimension}>
            {DIMENSIONS.map((value) => (
              <option key={value}>{value}</option>
            ))}
          </select>
        </label>
        <button type="submit">Show</button>
        <button type="button" className="secondary" onClick={() => download.mutate()} disabled={download.isPending}>
          Download CSV
        </button>
      </form>
      {download.error && <ErrorNotice error={download.error} />}
      <QueryView query={closings} what="the closing">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>
              No {dimension} closing for {month}: the month has not been closed (monthly-closing runs on the 1st), or had no activity.
            </Empty>
          ) : (
            <TableScroll label={`Closing of ${month} by ${dimension}`}>
              <table className="closings">
                <caption>
                  {data.month} by {data.dimension}: {data.totals.entities} closed, at <CrTime iso={data.items[0]!.closedAt} />
                </caption>
                <thead>
                  <tr>
                    {header('name', 'Name')}
                    <th scope="col" className="number">Tickets</th>
                    <th scope="col" className="number">Sales</th>
                    <th scope="col" className="number">Payouts</th>
                    <th scope="col" className="number">Commissions</th>
                    <th scope="col" className="number">Net</th>
                    <th scope="col" className="number">Paid</th>
                    <th scope="col" className="number">Collected</th>
                    <th scope="col" className="number">Opening</th>
                    {header('remainingBalance', 'Remaining', true)}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((row) => (
                    <tr key={row.entityId}>
                      <th scope="row">
                        {row.entityName ?? <span className="muted">(no name)</span>}
                        <div className="mono small muted" title={row.entityId}>
                          {row.entityId.slice(0, 8)}
                        </div>
                      </th>
                      <td className="number">{row.ticketCount}</td>
                      <td className="number"><Money amount={row.totalSales} /></td>
                      <td className="number"><Money amount={row.totalPayouts} /></td>
                      <td className="number"><Money amount={row.totalCommissions} /></td>
                      <td className="number"><Money amount={row.netBalance} /></td>
                      <td className="number"><Money amount={row.totalPaid} /></td>
                      <td className="number"><Money amount={row.totalCollected} /></td>
                      <td className="number"><Money amount={row.openingBalance} /></td>
                      <td className="number"><Money amount={row.remainingBalance} /></td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr data-testid="closing-totals">
                    <th scope="row">Totals ({data.totals.entities})</th>
                    <td className="number">{data.totals.ticketCount}</td>
                    <td className="number"><Money amount={data.totals.totalSales} /></td>
                    <td className="number"><Money amount={data.totals.totalPayouts} /></td>
                    <td className="number"><Money amount={data.totals.totalCommissions} /></td>
                    <td className="number"><Money amount={data.totals.netBalance} /></td>
                    <td className="number"><Money amount={data.totals.totalPaid} /></td>
                    <td className="number"><Money amount={data.totals.totalCollected} /></td>
                    <td className="number"><Money amount={data.totals.openingBalance} /></td>
                    <td className="number"><Money amount={data.totals.remainingBalance} /></td>
                  </tr>
                </tfoot>
              </table>
            </TableScroll>
          )
        }
      </QueryView>
    </>
  );
}

/** The month's CSV as the API streams it (`Accept: text/csv`), saved as a file. */
async function downloadCsv(month: string, dimension: Dimension): Promise<void> {
  const answer = await unwrap(
    api.GET('/admin/closings', {
      params: { query: { month, dimension } },
      headers: { Accept: CSV_TYPE },
      parseAs: 'blob',
    }),
  );
  if (!(answer instanceof Blob)) throw new ApiError(0, 'CONSOLE.NOT_CSV', 'The service did not answer with a CSV file.');
  const url = URL.createObjectURL(answer);
  const link = document.createElement('a');
  link.href = url;
  link.download = `closing-${month}-${dimension}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
