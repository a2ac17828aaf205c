/**
 * `formatMoney(123456, 'USD')` → `USD 1,234.56`. Written out by hand rather than with toLocaleString so the text —
 * and the PDF it goes into — does not depend on the machine's locale; the minor-unit digits come from ISO 4217
 * as the runtime knows it (JPY 0, USD 2, BHD 3).
 */
export function formatMoney(minor: number, currency: string): string {
  const digits = fractionDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const text = Math.abs(minor).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${currency} ${whole}${digits > 0 ? `.${text.slice(text.length - digits)}` : ''}`;
}

function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export interface BalanceParts {
  readonly principal: number;
  readonly fees: number;
  readonly interest: number;
}

export interface BalanceView extends BalanceParts {
  readonly total: number;
}

export function balanceView(balance: BalanceParts): BalanceView {
  return { principal: balance.principal, fees: balance.fees, interest: balance.interest, total: balance.principal + balance.fees + balance.interest };
}
