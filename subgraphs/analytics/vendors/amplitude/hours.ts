/** Amplitude's export addresses UTC hours as `YYYYMMDDTHH`. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function floorHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** 1730431200000 -> '20241101T03'. */
export function formatHour(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}`;
}

/** '20241101T03' -> its first millisecond; NaN when it is not an hour in that form. */
export function parseHour(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})$/.exec(value);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) : NaN;
}

/** 'YYYY-MM-DD' of a moment, in UTC. */
export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
