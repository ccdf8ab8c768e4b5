import type { Knex } from 'knex';
import type { BancaFixtures } from '@banca/domain/testing';

/** The banca hierarchy and account movements written to the real tables, shared by the settlement and closing harnesses. */
export function knexBancaFixtures(db: Knex): BancaFixtures {
  let sequence = 0;
  const name = (kind: string, given: string | undefined) => given ?? `${kind} ${++sequence}`;
  const insert = async (table: string, row: Record<string, unknown>): Promise<string> => {
    const [inserted] = await db(table).insert(row).returning('id');
    return inserted.id as string;
  };
  return {
    givenBanca: (input = {}) => insert('bancas', { ...idOf(input), name: name('Banca', input.name), is_active: input.isActive ?? true }),
    givenVentana: (input) => insert('ventanas', { ...idOf(input), name: name('Ventana', input.name), banca_id: input.bancaId, is_active: input.isActive ?? true }),
    givenVendedor: (input) =>
      insert('vendedores', { ...idOf(input), name: name('Vendedor', input.name), ventana_id: input.ventanaId, banca_id: input.bancaId, is_active: input.isActive ?? true }),
    givenMovement: (input) =>
      insert('account_movements', {
        vendedor_id: input.vendedorId ?? null,
        ventana_id: input.ventanaId ?? null,
        banca_id: input.bancaId,
        date: input.date,
        type: input.type,
        amount: input.amount,
        is_reversed: input.isReversed ?? false,
      }),
    reverseMovement: async (id) => {
      const reversed = await db('account_movements').where({ id }).update({ is_reversed: true });
      if (reversed !== 1) throw new Error(`movement ${id} does not exist`);
    },
  };
}

const idOf = (input: { id?: string }): { id?: string } => (input.id === undefined ? {} : { id: input.id });
