/** Exact money arithmetic on decimal strings, through BigInt cents: never a float. */

/** An amount whose cents are a safe integer as a float (13 digits of units, at most 2 of cents): exact without BigInt parts. */
const SMALL_AMOUNT = /^(-)?(\d{1,13})(?:\.(\d{0,2}))?$/;

export function toCents(value: string | number): bigint {
  const text = String(value).trim();
  const small = SMALL_AMOUNT.exec(text);
  if (small) {
    const cents = Number(small[2]) * 100 + Number(((small[3] ?? '') + '00').slice(0, 2));
    return BigInt(small[1] ? -cents : cents);
  }
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
  if (abs <= MAX_SAFE_CENTS) {
    // A safe integer divides exactly as a float: no BigInt division per amount.
    const n = Number(abs);
    const rest = n % 100;
    return `${negative ? '-' : ''}${(n - rest) / 100}.${rest < 10 ? '0' : ''}${rest}`;
  }
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
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
