import { formatMoney } from './money';

describe('money as text', () => {
  it('uses the currency’s minor unit and groups thousands, the same on every machine', () => {
    expect(formatMoney(123_456_789, 'USD')).toBe('USD 1,234,567.89');
    expect(formatMoney(5, 'USD')).toBe('USD 0.05');
    expect(formatMoney(0, 'EUR')).toBe('EUR 0.00');
    expect(formatMoney(1_500, 'JPY')).toBe('JPY 1,500');
    expect(formatMoney(1_234, 'KWD')).toBe('KWD 1.234');
    expect(formatMoney(-250, 'GBP')).toBe('-GBP 2.50');
  });
});
