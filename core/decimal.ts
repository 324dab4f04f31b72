/** Exact money arithmetic on decimal strings, through BigInt cents: never a float. */

export function toCents(value: string | number): bigint {
  const text = String(value).trim();
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a decimal amount: "${text}"`);
  const [, sign, whole, fraction = ''] = match;
  const cents = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  return sign ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
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
