import { sql } from 'kysely';
import { resolveIdentities } from '../../../../sync/identity.js';
import { mapRecord, type MappedRecord } from '../../../../sync/mapping.js';
import { writeRows, type Trx } from '../../../../sync/table-writer.js';
import { companyGroup, endUserMapping, VENDOR, type SeenUser } from './mapping.js';

/** New users in one page that make the table's statistics worth refreshing. */
const NEW_USERS_BEFORE_ANALYZE = 1_000;

function object(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** Equal JSON values, whatever the order of object keys (jsonb keeps its own order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** What Amplitude says of a user, kept as the end user's payload. */
function payload(user: SeenUser) {
  return { user_id: user.user_id, amplitude_id: user.amplitude_id, user_properties: user.user_properties, groups: user.groups };
}

/**
 * Amplitude cannot list its users: each is known from their events. Upserts the end users of a
 * page of events that are new or whose properties or groups changed, as the newest event of each
 * describes them (an older event read again never undoes a newer state), their account group
 * joined to a company by its domain. Users seen again unchanged are not written again: at
 * millions of events, most pages only see users already known.
 */
export async function upsertSeenUsers(trx: Trx, tenantId: string, events: MappedRecord[]): Promise<void> {
  const newest = new Map<string, SeenUser>();
  for (const event of events) {
    const userId = event.refs.end_user_id;
    const at = event.updatedAt;
    if (!userId || !at) continue;
    const seen = newest.get(userId);
    if (seen && seen.event_time >= at) continue;
    const e = event.raw as Record<string, unknown>;
    newest.set(userId, {
      user_id: userId, amplitude_id: e.amplitude_id, user_properties: object(e.user_properties), groups: object(e.groups),
      user_creation_time: e.user_creation_time, event_time: at, url: event.url,
    });
  }
  if (!newest.size) return;
  const { rows: stored } = await sql<{ external_id: string; vendor_updated_at: Date | null; raw: unknown }>`
    select external_id, vendor_updated_at, raw from analytics.end_users
    where tenant_id = ${tenantId} and vendor = ${VENDOR} and external_id = any(${[...newest.keys()]})`.execute(trx);
  for (const row of stored) {
    const user = newest.get(row.external_id)!;
    const older = row.vendor_updated_at && row.vendor_updated_at.getTime() > user.event_time.getTime();
    if (older || sameJson(row.raw, payload(user))) newest.delete(row.external_id);
  }
  if (!newest.size) return;
  const users = [...newest.values()];
  const groups = [...new Set(users.map((u) => companyGroup(u.groups)).filter((g): g is string => !!g))];
  await resolveIdentities(trx, tenantId, VENDOR, groups.map((name) => ({ externalId: name, domain: name })));
  const mapped: MappedRecord[] = [];
  for (const user of users) {
    const result = mapRecord(endUserMapping, user, { tenantId, config: {} });
    // A user that cannot be stored leaves their events unresolved: they go to record errors.
    if (result.ok) mapped.push({ ...result.record, raw: payload(user) });
  }
  const written = await writeRows(trx, { tenantId, vendor: VENDOR, mapping: endUserMapping, syncedAt: new Date() }, mapped);
  // A backfill grows the table faster than autovacuum re-reads it: with statistics that still say
  // "a few users", the page's joins to its users would scan them all instead of looking them up.
  if (written.changed.length >= NEW_USERS_BEFORE_ANALYZE) await sql`analyze analytics.end_users`.execute(trx);
}
