/**
 * ISO 4217 currencies whose minor unit is not the cent. A fixed table rather than `Intl`, so that a replay's text does
 * not change with the runtime's ICU data: the same history gives the same bytes on every machine.
 */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** `formatMoney(123456, 'USD')` → `USD 1,234.56`; `formatMoney(5, 'JPY')` → `JPY 5`. */
export function formatMoney(minor: number, currency: string): string {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const sign = minor < 0 ? '-' : '';
  const text = Math.abs(minor).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${currency} ${whole}${digits > 0 ? `.${text.slice(text.length - digits)}` : ''}`;
}

export function money(amount: { readonly minor: number; readonly currency: string }): string {
  return formatMoney(amount.minor, amount.currency);
}
