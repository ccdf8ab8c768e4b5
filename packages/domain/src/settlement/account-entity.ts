/**
 * The three kinds of account holder (docs/architecture.md, The banca rules). A row that carries several ids (a vendedor's
 * movement also names its ventana and banca) belongs to the most specific one only.
 */
export type AccountDimension = 'vendedor' | 'ventana' | 'banca';

export const ACCOUNT_DIMENSIONS: readonly AccountDimension[] = ['vendedor', 'ventana', 'banca'];

export interface AccountEntity {
  readonly dimension: AccountDimension;
  readonly id: string;
}

/** The ids stored on a statement or movement row; `bancaId` is always set. */
export interface AccountIds {
  readonly vendedorId?: string | null;
  readonly ventanaId?: string | null;
  readonly bancaId: string;
}

/** The entity a statement or movement counts for: the most specific id set on it. */
export function accountOwner(ids: AccountIds): AccountEntity {
  if (ids.vendedorId) return { dimension: 'vendedor', id: ids.vendedorId };
  if (ids.ventanaId) return { dimension: 'ventana', id: ids.ventanaId };
  return { dimension: 'banca', id: ids.bancaId };
}

export const sameAccountEntity = (a: AccountEntity, b: AccountEntity): boolean => a.dimension === b.dimension && a.id === b.id;
