import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { anyId } from '../../core/sql.js';
import type { WebhookStats } from './webhook-stats.type.js';

/** Receipt counts of many connections, by status, in one statement. */
export async function webhookStatsByConnection(db: Db, tenantId: string, connectionIds: readonly string[]): Promise<(WebhookStats & { connectionId: string })[]> {
  const rows = await db.selectFrom('integrations.webhook_receipts as r')
    .where('r.tenant_id', '=', tenantId)
    .where(anyId('r.connection_id', connectionIds))
    .groupBy('r.connection_id')
    .select([
      'r.connection_id as connectionId',
      sql<number>`count(*)::int`.as('received'),
      sql<number>`(count(*) filter (where r.status = 'pending'))::int`.as('pending'),
      sql<number>`(count(*) filter (where r.status = 'processed'))::int`.as('processed'),
      sql<number>`(count(*) filter (where r.status = 'ignored'))::int`.as('ignored'),
      sql<number>`(count(*) filter (where r.status = 'skipped'))::int`.as('skipped'),
      sql<number>`(count(*) filter (where r.status = 'failed'))::int`.as('failed'),
      sql<Date | null>`max(r.received_at)`.as('lastReceivedAt'),
      sql<string | null>`(array_agg(r.error order by r.processed_at desc) filter (where r.status = 'failed'))[1]`.as('lastFailure'),
    ])
    .execute();
  return rows;
}

export const NO_WEBHOOKS: WebhookStats = { received: 0, pending: 0, processed: 0, ignored: 0, skipped: 0, failed: 0, lastReceivedAt: null, lastFailure: null };
