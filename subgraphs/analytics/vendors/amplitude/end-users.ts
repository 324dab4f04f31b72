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

/** What Amplitude says of a user, kept as the end user's payload. */
function payload(user: SeenUser) {
  return { user_id: user.user_id, amplitude_id: user.amplitude_id, user_properties: user.user_properties, groups: user.groups };
}

/**
 * What one run has made sure the table holds of each user: their payload, as JSON. A user whose
 * newest state in a later page of the run is that again needs no comparing; between runs, anyone
 * may have changed the table.
 */
export type StoredUsers = Map<string, string>;

/** The users a page of events names, each as the newest of its events describes them, serialised for comparing. */
export interface SeenUsers {
  newest: Map<string, SeenUser>;
  /** Each user's payload as JSON, and their [user id, event time, payload] as the comparing statement takes it. */
  serialised: Map<string, { payload: string; compared: string }>;
  stored: StoredUsers;
}

/** The page's users as its events describe them: built ahead of the page's transaction. */
export function seenUsers(events: MappedRecord[], stored: StoredUsers): SeenUsers {
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
  const serialised = new Map<string, { payload: string; compared: string }>();
  for (const user of newest.values()) {
    const json = JSON.stringify(payload(user));
    serialised.set(user.user_id, { payload: json, compared: `[${JSON.stringify(user.user_id)},${JSON.stringify(user.event_time)},${json}]` });
  }
  return { newest, serialised, stored };
}

/**
 * Amplitude cannot list its users: each is known from their events. Upserts the end users of a
 * page of events that are new or whose properties or groups changed, as the newest event of each
 * describes them (an older event read again never undoes a newer state), their account group
 * joined to a company by its domain. Users seen again unchanged are not written again: at
 * millions of events, most pages only see users already known, and within a run a user stored
 * as they are now is not even compared.
 */
export async function upsertSeenUsers(trx: Trx, tenantId: string, { newest, serialised, stored }: SeenUsers): Promise<void> {
  // Decided here, in the page's transaction: every page before this one has committed.
  const payloads = new Map<string, string>();
  const compared: string[] = [];
  for (const [userId, user] of serialised) {
    if (stored.get(userId) === user.payload) continue;
    payloads.set(userId, user.payload);
    compared.push(user.compared);
  }
  if (!payloads.size) return;
  const seen = `[${compared.join(',')}]`;
  // Compared in Postgres (jsonb equality ignores the order of keys): the stored payloads never travel.
  const { rows: differing } = await sql<{ user_id: string; stored_newer: boolean }>`
    select s->>0 as user_id, coalesce(u.vendor_updated_at > (s->>1)::timestamptz, false) as stored_newer
    from jsonb_array_elements(${seen}::jsonb) as s
    left join analytics.end_users u on u.tenant_id = ${tenantId} and u.vendor = ${VENDOR} and u.external_id = s->>0
    where u.id is null or u.raw is distinct from s->2`.execute(trx);
  const toWrite = new Set(differing.filter((r) => !r.stored_newer).map((r) => r.user_id));
  // Stored as the page says already, or about to be: the rest of the run need not compare them again.
  for (const [userId, json] of payloads) stored.set(userId, json);
  for (const { user_id } of differing) if (!toWrite.has(user_id)) stored.delete(user_id);
  if (!toWrite.size) return;
  const users = [...toWrite].map((userId) => newest.get(userId)!);
  const groups = [...new Set(users.map((u) => companyGroup(u.groups)).filter((g): g is string => !!g))];
  await resolveIdentities(trx, tenantId, VENDOR, groups.map((name) => ({ externalId: name, domain: name })));
  const mapped: MappedRecord[] = [];
  for (const user of users) {
    const result = mapRecord(endUserMapping, user, { tenantId, config: {} });
    // A user that cannot be stored leaves their events unresolved: they go to record errors.
    if (result.ok) mapped.push({ ...result.record, raw: payload(user) });
    else stored.delete(user.user_id);
  }
  const written = await writeRows(trx, { tenantId, vendor: VENDOR, mapping: endUserMapping, syncedAt: new Date() }, mapped);
  // A backfill grows the table faster than autovacuum re-reads it: with statistics that still say
  // "a few users", the page's joins to its users would scan them all instead of looking them up.
  if (written.changed.length >= NEW_USERS_BEFORE_ANALYZE) await sql`analyze analytics.end_users`.execute(trx);
}
