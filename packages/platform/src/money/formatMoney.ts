/** Integer cents as dollars for people: 1234 → "$12.34", -500 → "−$5.00". */
export function formatMoney(cents: number): string {
  const sign = cents < 0 ? '−' : '';
  const absolute = Math.abs(cents);
  return `${sign}$${Math.floor(absolute / 100).toLocaleString('en-US')}.${String(absolute % 100).padStart(2, '0')}`;
}
