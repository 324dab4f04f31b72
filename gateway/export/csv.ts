/** A cell of an exported row: scalars only (money stays an exact decimal string). */
export type Cell = string | number | boolean | null;

const NEEDS_QUOTES = /[",\r\n]/;

/** One field per RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled; null is empty. */
export function csvField(value: Cell): string {
  if (value === null) return '';
  // A number or a boolean never holds a comma, a quote or a line break.
  if (typeof value !== 'string') return String(value);
  const text = value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated (RFC 4180). */
export function csvRecord(values: readonly Cell[]): string {
  let record = values.length ? csvField(values[0]) : '';
  for (let i = 1; i < values.length; i++) record += ',' + csvField(values[i]);
  return record + '\r\n';
}
