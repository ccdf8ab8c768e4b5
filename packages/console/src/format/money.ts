/** An amount as the API sends it: a decimal string with two decimals (`"1500.30"`, `"-250.75"`). */
const DECIMAL = /^(-?)(\d+)\.(\d{2})$/;

/**
 * `"1500.30"` → `₡1,500.30`, `"-250.75"` → `−₡250.75`: the string's own digits regrouped, never
 * through a floating-point number. Anything else is shown as it came, so a bad value stays visible.
 */
export function formatColones(amount: string): string {
  const match = DECIMAL.exec(amount);
  if (!match) return amount;
  const [, sign, whole, cents] = match as unknown as [string, string, string, string];
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const negative = sign === '-' && /[1-9]/.test(whole + cents);
  return `${negative ? '−' : ''}₡${grouped}.${cents}`;
}

/** Whether an amount is below zero, read from its sign. */
export const isNegativeAmount = (amount: string): boolean => formatColones(amount).startsWith('−');
