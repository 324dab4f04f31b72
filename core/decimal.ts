/** Exact money arithmetic on decimal strings, in whole cents (BigInt, or a float while the cents are a safe integer): never a fraction of a cent in a float. */

/** An amount whose cents are a safe integer as a float (13 digits of units, at most 2 of cents): exact without BigInt parts. */
const SMALL_AMOUNT = /^(-)?(\d{1,13})(?:\.(\d{0,2}))?$/;

/** The cents of an amount of SMALL_AMOUNT as a (safe, so exact) float; null for any other amount. */
function smallCents(text: string): number | null {
  const small = SMALL_AMOUNT.exec(text);
  if (!small) return null;
  const cents = Number(small[2]) * 100 + Number(((small[3] ?? '') + '00').slice(0, 2));
  return small[1] && cents ? -cents : cents;
}

/** Cents as a decimal string with two fraction digits, from a safe integer. */
function centsText(cents: number): string {
  const abs = Math.abs(cents);
  const rest = abs % 100;
  return `${cents < 0 ? '-' : ''}${(abs - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`;
}

export function toCents(value: string | number): bigint {
  const text = String(value).trim();
  const small = smallCents(text);
  if (small !== null) return BigInt(small);
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a decimal amount: "${text}"`);
  const [, sign, whole, fraction = ''] = match;
  const cents = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  return sign ? -cents : cents;
}

const MAX_SAFE_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  // A safe integer divides exactly as a float: no BigInt division per amount.
  if (abs <= MAX_SAFE_CENTS) return centsText(Number(cents));
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** The amount with two fraction digits (fromCents(toCents(value))), without BigInt for amounts of up to 13 digits. */
export function normalizeDecimal(value: string | number): string {
  const small = smallCents(String(value).trim());
  return small === null ? fromCents(toCents(value)) : centsText(small);
}

/** (a - b) / b of two amounts as a float (ROI); null when b is zero. Exact cents throughout, as ratio of toCents. */
export function differenceRatio(a: string | number, b: string | number): number | null {
  const [aCents, bCents] = [smallCents(String(a).trim()), smallCents(String(b).trim())];
  // Both under 10^15 cents: their difference is a safe integer, so the float division reads the same exact operands.
  if (aCents !== null && bCents !== null) return bCents === 0 ? null : (aCents - bCents) / bCents;
  const bBig = toCents(b);
  return ratio(toCents(a) - bBig, bBig);
}

export function sumDecimals(values: Iterable<string>): string {
  let total = 0n;
  for (const value of values) total += toCents(value);
  return fromCents(total);
}

/** a / b as a float (for ratios such as ROI); null when b is zero. */
export function ratio(numerator: bigint, denominator: bigint): number | null {
  return denominator === 0n ? null : Number(numerator) / Number(denominator);
}
