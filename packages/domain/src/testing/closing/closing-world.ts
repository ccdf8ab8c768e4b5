import type { MonthBalance } from '../../closing/month-balance';
import type { MonthlyClosingContractHarness } from './closing-contract.harness';

/**
 * February 2025 of a banca with two active ventanas, four active vendedores (one idle), and an
 * inactive vendedor, ventana and banca whose tickets still count for the entities above them.
 */
export async function givenFebruary(h: MonthlyClosingContractHarness) {
  const bancaId = await h.givenBanca();
  await h.givenBanca({ isActive: false });
  const w1 = await h.givenVentana({ bancaId });
  const w2 = await h.givenVentana({ bancaId });
  await h.givenVentana({ bancaId, isActive: false });
  const seller = async (ventanaId: string, isActive = true) => ({ vendedorId: await h.givenVendedor({ ventanaId, bancaId, isActive }), ventanaId, bancaId });
  const v1 = await seller(w1);
  const v2 = await seller(w1);
  const v3 = await seller(w2);
  const idle = await seller(w2);
  const retired = await seller(w1, false);

  const ticket = (ids: typeof v1, businessDate: string, totalAmount: string, totalPayout: string, commissionAmount: string, listeroCommissionAmount: string, status = 'ACTIVE') =>
    h.givenTicket({ ...ids, businessDate, totalAmount, totalPayout, commissionAmount, listeroCommissionAmount, status });
  await ticket(v1, '2025-02-01', '100.00', '20.00', '10.00', '15.00');
  await ticket(v1, '2025-02-28', '50.00', '0.00', '5.00', '7.50', 'PAID');
  await ticket(v1, '2025-02-10', '999.00', '0.00', '99.00', '99.00', 'CANCELLED');
  await ticket(v1, '2025-01-31', '1000.00', '0.00', '0.00', '0.00');
  await ticket(v1, '2025-03-01', '1000.00', '0.00', '0.00', '0.00');
  await ticket(v2, '2025-02-15', '888.00', '0.00', '88.00', '88.00', 'EXCLUDED');
  await ticket(v2, '2025-02-15', '30.00', '60.00', '3.00', '4.50', 'EVALUATED');
  await ticket(v3, '2025-02-20', '200.00', '0.00', '20.00', '30.00');
  await ticket(retired, '2025-02-05', '10.00', '0.00', '1.00', '1.50');

  await h.givenMovement({ ...v1, date: '2025-02-03', type: 'payment', amount: '25.00' });
  await h.givenMovement({ ...v1, date: '2025-02-04', type: 'collection', amount: '40.00', isReversed: true });
  await h.givenMovement({ ...v1, date: '2025-02-28', type: 'collection', amount: '12.00' });
  await h.givenMovement({ ...v1, date: '2025-03-01', type: 'payment', amount: '1000.00' });
  await h.givenMovement({ ventanaId: w1, bancaId, date: '2025-02-10', type: 'collection', amount: '100.00' });
  await h.givenMovement({ bancaId, date: '2025-02-11', type: 'payment', amount: '5.00' });

  const balance = (ticketCount: number, totalSales: string, totalPayouts: string, totalCommissions: string, netBalance: string, totalPaid: string, totalCollected: string, remainingBalance: string): MonthBalance =>
    ({ ticketCount, totalSales, totalPayouts, totalCommissions, netBalance, totalPaid, totalCollected, openingBalance: '0.00', remainingBalance });
  const expected = [
    { dimension: 'vendedor', entityId: v1.vendedorId, ...balance(2, '150.00', '20.00', '15.00', '115.00', '25.00', '12.00', '128.00') },
    { dimension: 'vendedor', entityId: v2.vendedorId, ...balance(1, '30.00', '60.00', '3.00', '-33.00', '0.00', '0.00', '-33.00') },
    { dimension: 'vendedor', entityId: v3.vendedorId, ...balance(1, '200.00', '0.00', '20.00', '180.00', '0.00', '0.00', '180.00') },
    { dimension: 'vendedor', entityId: idle.vendedorId, ...balance(0, '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00') },
    { dimension: 'ventana', entityId: w1, ...balance(4, '190.00', '80.00', '28.50', '81.50', '0.00', '100.00', '-18.50') },
    { dimension: 'ventana', entityId: w2, ...balance(1, '200.00', '0.00', '30.00', '170.00', '0.00', '0.00', '170.00') },
    { dimension: 'banca', entityId: bancaId, ...balance(5, '390.00', '80.00', '58.50', '251.50', '5.00', '0.00', '256.50') },
  ].map((row) => ({ month: '2025-02', ...row }));
  return { bancaId, w1, w2, v1, v2, v3, idle, expected };
}
