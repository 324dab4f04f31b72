import { sql } from 'kysely';
import type { Page, ReadContext, Stream } from '../../../../sync/connector.js';
import { DAY_MS, formatDay } from './hours.js';
import { forgetUsersInExportFiles } from './keep-export-files.js';
import { deletionMapping } from './mapping.js';

/** Deletion jobs scheduled before `day` were all done when last read. */
export interface DeletionsCursor { day: string }

/** The deletion job listing answers at most six months a request. */
const WINDOW_DAYS = 180;
/** Jobs run 10 to 13 days after they are requested: the listing looks this far ahead. */
const HORIZON_DAYS = 31;

interface DeletionJob {
  day: string;
  status: string;
  amplitude_ids?: ({ amplitude_id?: unknown; user_id?: unknown } | number)[];
  user_ids?: unknown[];
}

/** The users of finished jobs; jobs not yet done (staging, submitted) may still change, so the cursor waits for them. */
async function* readDeletions(ctx: ReadContext<DeletionsCursor>): AsyncIterable<Page<DeletionsCursor>> {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const resumeAt = ctx.mode === 'incremental' && ctx.cursor ? Date.parse(ctx.cursor.day) : NaN;
  const until = today + HORIZON_DAYS * DAY_MS;
  let pending = today;
  for (let from = Number.isNaN(resumeAt) ? Math.floor(ctx.since.getTime() / DAY_MS) * DAY_MS : resumeAt; from <= until;) {
    const to = Math.min(from + (WINDOW_DAYS - 1) * DAY_MS, until);
    const body = await ctx.http.get<DeletionJob[] | { deletions?: DeletionJob[] }>('api/2/deletions/users', { start_day: formatDay(from), end_day: formatDay(to) });
    const jobs = Array.isArray(body) ? body : body?.deletions ?? [];
    const records: unknown[] = [];
    for (const job of jobs) {
      if (job.status !== 'done') {
        const day = Date.parse(job.day);
        if (!Number.isNaN(day)) pending = Math.min(pending, day);
        continue;
      }
      for (const entry of job.amplitude_ids ?? []) records.push({ ...(typeof entry === 'number' ? { amplitude_id: entry } : entry), day: job.day });
      for (const userId of job.user_ids ?? []) records.push({ user_id: userId, day: job.day });
    }
    yield { records, cursor: { day: formatDay(Math.min(pending, to + DAY_MS)) } };
    from = to + DAY_MS;
  }
}

/**
 * Users deleted at Amplitude (User Privacy API): Amplitude purges their events and properties,
 * so do we: the end user, their events, their rollup rows and their lines in the kept export files. Amplitude has no listing of its
 * users to reconcile against; this log is how a deletion at the vendor reaches us. Applying a
 * job again finds nothing left to delete.
 */
export const userDeletionsStream: Stream<DeletionsCursor> = {
  name: 'user_deletions',
  mapping: deletionMapping,
  reconcilable: false,
  read: readDeletions,
  async store(trx, target, records) {
    const amplitudeIds = records.map((r) => r.columns.amplitude_id).filter((id) => id !== null).map(String);
    const userIds = records.map((r) => r.columns.user_id).filter((id): id is string => typeof id === 'string');
    const { rows } = await sql<{ id: string; external_id: string; amplitude_id: string | null; first_seen_at: Date | null }>`delete from analytics.end_users
      where tenant_id = ${target.tenantId} and vendor = ${target.vendor}
        and (raw->>'amplitude_id' = any(${amplitudeIds}::text[]) or external_id = any(${userIds}::text[]))
      returning id, external_id, raw->>'amplitude_id' as amplitude_id, first_seen_at`.execute(trx);
    const gone = rows.map((r) => r.id);
    if (gone.length) {
      for (const table of ['analytics.usage_events', 'analytics.feature_usage_daily', 'analytics.user_activity_daily']) {
        await sql`delete from ${sql.table(table)} where tenant_id = ${target.tenantId} and end_user_id = any(${gone}::uuid[])`.execute(trx);
      }
      await forgetUsersInExportFiles(trx, target.tenantId, rows.map((r) => ({ userId: r.external_id, amplitudeId: r.amplitude_id, firstSeenAt: r.first_seen_at })));
    }
    return { changed: [], unchanged: records.length, rejected: [] };
  },
};
