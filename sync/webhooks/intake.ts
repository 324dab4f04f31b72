import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import type { Logger } from '../../core/logger.js';
import type { Connector } from '../connector.js';
import { readCredentials } from '../connection-store.js';
import type { KeyRing } from '../credentials.js';
import { WEBHOOK_TASK } from '../queue.js';
import { WEBHOOK_SECRET, WebhookRefused, type WebhookDelivery, type WebhookRequest } from './webhook.js';

export interface IntakeDeps {
  /** The owner's connection: a webhook names its connection, not its tenant. */
  db: Db;
  ring: KeyRing;
  connectors: ReadonlyMap<string, Connector>;
  log: Logger;
  now?: () => Date;
}

export interface IntakeResult {
  /** Deliveries stored and queued for processing. */
  accepted: number;
  /** Deliveries seen before (a redelivery or a retry): nothing changed. */
  duplicates: number;
  /** Deliveries of event types no connector acts on: stored as `ignored`, nothing else. */
  ignored: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Takes one webhook request: finds its connection, verifies the vendor's signature over the raw
 * body, then stores a receipt per delivery (keyed by the vendor's delivery or event id) and its
 * processing job in one transaction, so a delivery is either wholly taken or not at all and a
 * redelivery finds its receipt and changes nothing. Nothing is written before the signature
 * verifies; the processing itself happens in the job queue.
 */
export async function acceptWebhook(deps: IntakeDeps, vendor: string, connectionId: string, request: WebhookRequest): Promise<IntakeResult> {
  const connector = deps.connectors.get(vendor);
  const spec = connector?.webhooks;
  if (!connector || !spec) throw new WebhookRefused(404, 'NOT_FOUND', `no webhooks are taken for vendor "${vendor}"`);
  const connection = UUID.test(connectionId)
    ? await deps.db.selectFrom('integrations.connections').selectAll().where('id', '=', connectionId).where('vendor', '=', vendor).executeTakeFirst()
    : undefined;
  if (!connection || connection.status === 'disconnected') throw new WebhookRefused(404, 'NOT_FOUND', `no ${connector.title} connection ${connectionId}`);
  const secret = readCredentials(deps.ring, connection)[WEBHOOK_SECRET];
  if (typeof secret !== 'string' || !secret) {
    throw new WebhookRefused(401, 'WEBHOOK_SECRET_MISSING', `connection ${connectionId} has no webhook secret: reconnect it with credentials.${WEBHOOK_SECRET}`);
  }
  spec.verify(request, secret, deps.now?.() ?? new Date());

  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new WebhookRefused(400, 'MALFORMED_JSON', 'the body is not JSON');
  }
  let deliveries: WebhookDelivery[];
  try {
    deliveries = spec.deliveries(body, request);
  } catch (error) {
    throw new WebhookRefused(400, 'MALFORMED_EVENT', (error as Error).message);
  }

  const result: IntakeResult = { accepted: 0, duplicates: 0, ignored: 0 };
  await deps.db.transaction().execute(async (trx) => {
    for (const delivery of deliveries) {
      const handled = spec.handles(delivery.type);
      const { rows } = await sql<{ delivery_id: string }>`
        insert into integrations.webhook_receipts (tenant_id, connection_id, delivery_id, event_type, payload, status, processed_at)
        values (${connection.tenant_id}, ${connection.id}, ${delivery.id}, ${delivery.type}, ${JSON.stringify(delivery.payload)}::jsonb,
                ${handled ? 'pending' : 'ignored'}, ${handled ? null : new Date()})
        on conflict do nothing returning delivery_id`.execute(trx);
      if (!rows.length) {
        result.duplicates++;
        continue;
      }
      if (!handled) {
        result.ignored++;
        deps.log.info({ tenantId: connection.tenant_id, connectionId: connection.id, vendor, eventType: delivery.type }, 'webhook event type ignored');
        continue;
      }
      // Deliveries are processed in parallel: the order they land in does not decide the final
      // state (the vendor's versions do), so they need no queue of their own.
      await sql`select graphile_worker.add_job(${WEBHOOK_TASK}, ${JSON.stringify({ tenantId: connection.tenant_id, connectionId: connection.id, deliveryId: delivery.id })}::json,
        job_key => ${`webhook:${connection.id}:${delivery.id}`}, job_key_mode => 'preserve_run_at', max_attempts => 5)`.execute(trx);
      result.accepted++;
    }
  });
  return result;
}
