export { formatMoney } from './formatMoney.ts';
