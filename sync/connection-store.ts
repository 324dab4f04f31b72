import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../core/db.js';
import type { Row } from '../schema/database.js';
import type { Credentials } from './auth.js';
import type { Connector } from './connector.js';
import { decryptCredentials, encryptCredentials, keyIdOf, type KeyRing } from './credentials.js';

export type ConnectionRow = Row<'integrations.connections'>;

export interface NewConnection {
  tenantId: string;
  connector: Connector;
  name?: string;
  /** Where the vendor's API is: the real vendor by default, or a simulator or sandbox. */
  baseUrl?: string | null;
  config?: Record<string, unknown>;
  credentials: Credentials;
}

/** Stores a connection with its credentials encrypted; the one live connection per vendor and tenant. */
export async function createConnection(db: Db, ring: KeyRing, input: NewConnection): Promise<ConnectionRow> {
  const id = randomUUID();
  return db.insertInto('integrations.connections').values({
    tenant_id: input.tenantId, id, vendor: input.connector.vendor, domain: input.connector.domain,
    name: input.name ?? input.connector.title, status: 'active', base_url: input.baseUrl ?? null,
    config: JSON.stringify(input.config ?? {}),
    credentials: encryptCredentials(ring, input.tenantId, id, input.credentials),
    next_run_at: new Date(),
  }).returningAll().executeTakeFirstOrThrow();
}

export async function loadConnection(db: Db, tenantId: string, id: string): Promise<ConnectionRow | undefined> {
  return db.selectFrom('integrations.connections').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export function readCredentials(ring: KeyRing, connection: ConnectionRow): Credentials {
  if (!connection.credentials) return {};
  return decryptCredentials(ring, connection.tenant_id, connection.id, connection.credentials);
}

export async function saveCredentials(db: Db, ring: KeyRing, tenantId: string, id: string, credentials: Credentials): Promise<void> {
  await db.updateTable('integrations.connections')
    .set({ credentials: encryptCredentials(ring, tenantId, id, credentials), updated_at: new Date() })
    .where('tenant_id', '=', tenantId).where('id', '=', id).execute();
}

/**
 * Re-encrypts every stored credential made with a key other than the ring's current one, one
 * row at a time under a row lock; returns how many rows moved to the current key.
 */
export async function rotateCredentials(db: Db, ring: KeyRing, options: { tenantId?: string } = {}): Promise<number> {
  const { rows } = await sql<{ tenant_id: string; id: string; credentials: Buffer }>`
    select tenant_id, id, credentials from integrations.connections
    where credentials is not null ${options.tenantId ? sql`and tenant_id = ${options.tenantId}` : sql``}`.execute(db);
  let moved = 0;
  for (const row of rows) {
    if (keyIdOf(row.credentials) === ring.current.id) continue;
    await db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('integrations.connections').select('credentials')
        .where('tenant_id', '=', row.tenant_id).where('id', '=', row.id).forUpdate().executeTakeFirst();
      if (!locked?.credentials || keyIdOf(locked.credentials) === ring.current.id) return;
      const plain = decryptCredentials(ring, row.tenant_id, row.id, locked.credentials);
      await trx.updateTable('integrations.connections').set({ credentials: encryptCredentials(ring, row.tenant_id, row.id, plain) })
        .where('tenant_id', '=', row.tenant_id).where('id', '=', row.id).execute();
      moved++;
    });
  }
  return moved;
}
