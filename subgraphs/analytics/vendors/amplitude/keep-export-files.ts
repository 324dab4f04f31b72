import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import type { PayloadOwner } from '../../../../sync/connector.js';
import type { Trx } from '../../../../sync/table-writer.js';
import type { ExportFile } from './export-archive.js';
import { DAY_MS } from './hours.js';

/**
 * The export's files as Amplitude sent them (gzipped JSON lines, one event a line): the events' raw
 * payloads, one row a file, at the cost of bytes already compressed. A file read again replaces its
 * row; the other files of an hour read again are the whole hour now, so a part no longer sent goes.
 */
export async function keepExportFiles(trx: Trx, owner: PayloadOwner, payloads: unknown[]): Promise<void> {
  const files = payloads as ExportFile[];
  if (!files.length) return;
  const syncedAt = new Date();
  const hours = [...new Set(files.filter((f) => f.hour !== null).map((f) => f.hour!))].map((h) => new Date(h));
  // One statement: the parts no longer sent are never among those written.
  await trx.with('kept', (db) => db.insertInto('analytics.usage_event_archives').values(files.map((f) => ({
    tenant_id: owner.tenantId, connection_id: owner.connectionId, file_name: f.name,
    upload_hour: f.hour === null ? null : new Date(f.hour), data: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength), synced_at: syncedAt,
  }))).onConflict((oc) => oc.columns(['tenant_id', 'connection_id', 'file_name']).doUpdateSet((eb) => ({
    upload_hour: eb.ref('excluded.upload_hour'), data: eb.ref('excluded.data'), synced_at: eb.ref('excluded.synced_at'),
  }))))
    .deleteFrom('analytics.usage_event_archives')
    .where('tenant_id', '=', owner.tenantId).where('connection_id', '=', owner.connectionId)
    .where('upload_hour', '=', sql<Date>`any(${hours}::timestamptz[])`)
    .where('file_name', '<>', sql<string>`all(${files.map((f) => f.name)}::text[])`)
    .execute();
}

/** A deleted user as their events name them. */
export interface ForgottenUser {
  userId: string;
  amplitudeId: string | null;
  /** Their first active day: no file uploaded a day before it holds their events (clocks drift). */
  firstSeenAt: Date | null;
}

/** Files read at once when forgetting users: bounded memory whatever the tenant's volume. */
const FILES_AT_ONCE = 50;

/**
 * Removes deleted users' events from the kept files (Amplitude purges them; so do we): each file of the
 * tenant uploaded since the users' first active day that names one of them is written again without
 * their lines, or removed when nothing is left. Deletions are rare and files are read only from then on.
 */
export async function forgetUsersInExportFiles(trx: Trx, tenantId: string, users: ForgottenUser[]): Promise<void> {
  const seen = users.filter((u) => u.firstSeenAt);
  if (!seen.length) return;
  const since = new Date(Math.min(...seen.map((u) => u.firstSeenAt!.getTime())) - DAY_MS);
  const userIds = new Set(seen.map((u) => u.userId));
  const amplitudeIds = new Set(seen.map((u) => u.amplitudeId).filter((id): id is string => !!id));
  const named = [...userIds, ...amplitudeIds];
  const forgotten = (event: Record<string, unknown>) =>
    userIds.has(String(event.user_id ?? '')) || amplitudeIds.has(String(event.amplitude_id ?? ''));
  const candidates = await trx.selectFrom('analytics.usage_event_archives').select(['connection_id', 'file_name'])
    .where('tenant_id', '=', tenantId).where((eb) => eb.or([eb('upload_hour', '>=', since), eb('upload_hour', 'is', null)]))
    .orderBy('connection_id').orderBy('file_name').execute();
  for (let i = 0; i < candidates.length; i += FILES_AT_ONCE) {
    const chunk = candidates.slice(i, i + FILES_AT_ONCE);
    const files = await trx.selectFrom('analytics.usage_event_archives').select(['connection_id', 'file_name', 'data'])
      .where('tenant_id', '=', tenantId)
      .where((eb) => eb.or(chunk.map((c) => eb.and([eb('connection_id', '=', c.connection_id), eb('file_name', '=', c.file_name)])))).execute();
    for (const file of files) {
      const text = gunzipSync(file.data).toString('utf8');
      // Most files name none of them: a substring test before any JSON is parsed.
      if (!named.some((id) => text.includes(id))) continue;
      const lines = text.split('\n').filter((line) => line.trim());
      const kept = lines.filter((line) => {
        try {
          return !forgotten(JSON.parse(line) as Record<string, unknown>);
        } catch {
          return ![...userIds].some((id) => line.includes(JSON.stringify(id)));
        }
      });
      if (kept.length === lines.length) continue;
      const where = sql`tenant_id = ${tenantId} and connection_id = ${file.connection_id} and file_name = ${file.file_name}`;
      if (kept.length) await sql`update analytics.usage_event_archives set data = ${gzipSync(`${kept.join('\n')}\n`)} where ${where}`.execute(trx);
      else await sql`delete from analytics.usage_event_archives where ${where}`.execute(trx);
    }
  }
}
