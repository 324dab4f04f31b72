import type { Db } from '../../core/db.js';
import type { WebhookSender } from '../../simulators/shared/webhooks.js';
import { startSyncWorker, type SyncWorker } from '../../sync/queue.js';
import type { SyncHarness } from './sync.js';
import type { TestStack } from './stack.js';

/** Polls until `what` holds, or fails after `timeoutMs`. */
export async function until(what: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The gateway's intake URL of a connection. */
export const webhookUrl = (t: TestStack, vendor: string, connectionId: string) => `${t.url.replace(/\/graphql$/, '')}/webhooks/${vendor}/${connectionId}`;

/** A queue worker processing webhook jobs with the harness's engine, scheduling no syncs. */
export function startWebhookWorker(t: TestStack, harness: SyncHarness): Promise<SyncWorker> {
  return startSyncWorker({ url: t.databaseUrl, deps: harness.deps, concurrency: 2, pollIntervalMs: 50, schedule: null });
}

export function receipts(db: Db, tenant: string) {
  return db.selectFrom('integrations.webhook_receipts').select(['delivery_id', 'event_type', 'status', 'error', 'attempts'])
    .where('tenant_id', '=', tenant).orderBy('received_at').orderBy('delivery_id').execute();
}

/** Every delivery the simulator sent has been answered, and every receipt of the tenant processed one way or another. */
export async function settled(sender: WebhookSender, db: Db, tenant: string): Promise<void> {
  await sender.settled();
  await until(async () => (await receipts(db, tenant)).every((r) => r.status !== 'pending'));
}
