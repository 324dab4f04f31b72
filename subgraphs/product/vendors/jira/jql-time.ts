import { ConnectionConfigError } from '../../../../sync/errors.js';

/**
 * JQL date literals ("yyyy/MM/dd HH:mm") have no zone and no seconds: Jira reads them as a
 * wall-clock minute in the querying account's time zone. A literal written in UTC by an account
 * in UTC-5 means an instant five hours later, and everything changed in between is never read.
 */

const MINUTE = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    try {
      found = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    } catch {
      throw new ConnectionConfigError(`"${timeZone}" is not an IANA time zone`);
    }
    formatters.set(timeZone, found);
  }
  return found;
}

/** The wall-clock minute of an instant in a zone, as a JQL literal: 'yyyy/MM/dd HH:mm'. */
export function wallMinute(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}/${parts.month}/${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The literal's fields read as if they were UTC. */
function asUtc(literal: string): number {
  const [y, mo, d, h, mi] = literal.split(/[/ :]/).map(Number);
  return Date.UTC(y, mo - 1, d, h, mi);
}

/** The zone's offset at an instant, in milliseconds (wall clock minus UTC). */
function offsetAt(ms: number, timeZone: string): number {
  const floored = Math.floor(ms / MINUTE) * MINUTE;
  return asUtc(wallMinute(floored, timeZone)) - floored;
}

/** The instants a literal may stand for near `near`: two in a repeated (fall-back) hour. */
function readings(literal: string, timeZone: string, near: number): number[] {
  const offsets = new Set([-86_400_000, 0, 86_400_000].map((d) => offsetAt(near + d, timeZone)));
  return [...offsets].map((offset) => asUtc(literal) - offset).filter((t) => wallMinute(t, timeZone) === literal);
}

/**
 * The latest JQL literal whose every reading lies at or before `at`: `updated >= literal` then
 * misses nothing changed since `at`, whatever the zone and however Jira resolves a repeated hour.
 */
export function jqlLowerBound(at: Date, timeZone: string): string {
  const limit = at.getTime();
  for (let t = limit; t > limit - 86_400_000; t -= 30 * MINUTE) {
    const literal = wallMinute(t, timeZone);
    if (readings(literal, timeZone, t).every((r) => r <= limit)) return literal;
  }
  throw new Error(`no JQL literal at or before ${at.toISOString()} in ${timeZone}`);
}
