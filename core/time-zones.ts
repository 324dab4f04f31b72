import { sql } from 'kysely';
import type { Db } from './db.js';
import { badUserInput } from './errors.js';
import { QUARTERS } from '../schema/migrations/0011_active_quarters.js';

const QUARTER_SECONDS = 900;

/**
 * The UTC quarter hours of local days: one row a local day and UTC day it overlaps (a local day is 23 to 25 hours, so
 * it meets two UTC days, or one in UTC), with `mask` the bit(96) text of the UTC day's quarters inside the local day,
 * as the rollups' active_quarters number them (migration 0011).
 */
export interface LocalDayQuarters {
  utcDay: string;
  localDay: string;
  mask: string;
}

/**
 * The quarters of the local days `firstDay` to `lastDay` (both included, 'YYYY-MM-DD') in `timeZone` (a name
 * timeZoneOf accepted). Local midnight is Postgres's `day::timestamp at time zone timeZone`, as a hand-written query
 * over raw events sees it. A zone whose midnights are not on a UTC quarter hour those days (local mean time before
 * the 20th century) cannot be answered from quarters: a BAD_USER_INPUT error naming it.
 */
export async function localDayQuarters(db: Db, timeZone: string, firstDay: string, lastDay: string): Promise<LocalDayQuarters[]> {
  const { rows } = await sql<{ utc_day: string; local_day: string; from_second: number; to_second: number }>`
    with local_days as (
      select d::date as local_day, d at time zone ${timeZone} as starts, (d + interval '1 day') at time zone ${timeZone} as ends
      from generate_series(${firstDay}::timestamp, ${lastDay}::timestamp, interval '1 day') d),
    pieces as (
      select l.local_day, u::date as utc_day, u at time zone 'UTC' as utc_starts, l.starts, l.ends
      from local_days l,
        generate_series((l.starts at time zone 'UTC')::date::timestamp, ((l.ends - interval '1 microsecond') at time zone 'UTC')::date::timestamp, interval '1 day') u)
    select utc_day::text, local_day::text,
      extract(epoch from greatest(starts, utc_starts) - utc_starts)::int as from_second,
      extract(epoch from least(ends, utc_starts + interval '24 hours') - utc_starts)::int as to_second
    from pieces order by utc_day, local_day`.execute(db);
  return rows.map((r) => {
    if (r.from_second % QUARTER_SECONDS !== 0 || r.to_second % QUARTER_SECONDS !== 0) {
      throw badUserInput(
        `"${timeZone}" days around ${r.local_day} do not start on a UTC quarter hour, so usage cannot be split into them: ask for another time zone or later days.`,
        { argument: 'timeZone' },
      );
    }
    const [from, to] = [r.from_second / QUARTER_SECONDS, r.to_second / QUARTER_SECONDS];
    return { utcDay: r.utc_day, localDay: r.local_day, mask: '0'.repeat(from) + '1'.repeat(to - from) + '0'.repeat(QUARTERS - to) };
  });
}
