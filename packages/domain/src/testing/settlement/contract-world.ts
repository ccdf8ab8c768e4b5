import type { BancaFixtures } from './banca-fixtures';
import type { StatementRow } from './settlement-contract.harness';

/** A banca with one ventana and two vendedores, and the ids each one's rows carry. */
export async function givenSmallBanca(h: BancaFixtures) {
  const bancaId = await h.givenBanca();
  const ventanaId = await h.givenVentana({ bancaId });
  const vendedorId = await h.givenVendedor({ ventanaId, bancaId });
  const otherVendedorId = await h.givenVendedor({ ventanaId, bancaId });
  return {
    banca: { bancaId },
    ventana: { ventanaId, bancaId },
    vendedor: { vendedorId, ventanaId, bancaId },
    otherVendedor: { vendedorId: otherVendedorId, ventanaId, bancaId },
  };
}

export const rowById = (rows: StatementRow[], id: string): StatementRow => {
  const row = rows.find((r) => r.id === id);
  if (!row) throw new Error(`statement ${id} is missing`);
  return row;
};

/** Ticket activity that makes a statement eligible by itself. */
export const sold = (totalSales: string) => ({ ticketCount: 1, totalSales });
