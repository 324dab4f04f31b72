/** Wall-clock time in the account's zone, as Jira writes and reads it. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function fields(ms: number, timeZone: string): Record<string, number> {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  return Object.fromEntries(f.formatToParts(new Date(ms)).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
}

/** The zone's offset at an instant in milliseconds (wall clock minus UTC). */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const p = fields(whole, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** Jira's date-time format in the account's zone: 2026-11-22T21:57:36.123-0330. */
export function jiraDateTime(ms: number, timeZone: string): string {
  const p = fields(ms, timeZone);
  const offset = Math.round(offsetAt(ms, timeZone) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${pad(ms % 1000, 3)}${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
}

/**
 * A JQL date literal ('yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd') read in
 * the account's zone; a repeated wall-clock hour reads as its earlier instant, a skipped one as
 * the instant after the gap. Null when the literal is not a date.
 */
export function readJqlDate(literal: string, timeZone: string): number | null {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?: (\d{1,2}):(\d{2}))?$/.exec(literal.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const candidates = [...new Set([-86_400_000, 0, 86_400_000].map((delta) => offsetAt(wall + delta, timeZone)))]
    .map((offset) => wall - offset).filter((t) => offsetAt(t, timeZone) === wall - t).sort((a, b) => a - b);
  if (candidates.length) return candidates[0];
  // In a spring-forward gap: the wall time with the offset from before the gap.
  return wall - offsetAt(wall - 86_400_000, timeZone);
}
