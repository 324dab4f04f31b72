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

/** The users a page of events names, each as the newest of its events describes them, and that as Postgres compares it. */
export interface SeenUsers {
  newest: Map<string, SeenUser>;
  /** [user id, event time, payload] a user, as one JSON document. */
  document: string;
}

/** The page's users as its events describe them: built ahead of the page's transaction. */
export function seenUsers(events: MappedRecord[]): SeenUsers {
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
  return { newest, document: JSON.stringify([...newest.values()].map((u) => [u.user_id, u.event_time, payload(u)])) };
}

/**
 * Amplitude cannot list its users: each is known from their events. Upserts the end users of a
 * page of events that are new or whose properties or groups changed, as the newest event of each
 * describes them (an older event read again never undoes a newer state), their account group
 * joined to a company by its domain. Users seen again unchanged are not written again: at
 * millions of events, most pages only see users already known.
 */
export async function upsertSeenUsers(trx: Trx, tenantId: string, { newest, document: seen }: SeenUsers): Promise<void> {
  if (!newest.size) return;
  // Compared in Postgres (jsonb equality ignores the order of keys): the stored payloads never travel.
  const { rows: changed } = await sql<{ user_id: string }>`
    select s->>0 as user_id from jsonb_array_elements(${seen}::jsonb) as s
    left join analytics.end_users u on u.tenant_id = ${tenantId} and u.vendor = ${VENDOR} and u.external_id = s->>0
    where u.id is null or ((u.vendor_updated_at is null or u.vendor_updated_at <= (s->>1)::timestamptz) and u.raw is distinct from s->2)`.execute(trx);
  if (!changed.length) return;
  const users = changed.map((r) => newest.get(r.user_id)!);
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
