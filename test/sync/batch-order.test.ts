import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSimulator, type StripeSimulator } from '../../simulators/stripe/index.js';
import { newestFirst } from '../../simulators/stripe/objects.js';
import { buildWorld, type World } from '../../simulators/shared/world.js';
import type { ConnectionStatus } from '../../schema/database.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { runStream, type RunSummary } from '../../sync/run-stream.js';
import { seedCrmCompanies, syncHarness, type SyncHarness } from '../support/sync.js';

/**
 * A stream whose batches write alone (Stripe invoices: no hooks, no store of its own) writes each
 * batch while the one before commits. Batches must still commit in order, each with its cursor,
 * and a batch whose predecessor did not commit must not commit either.
 */
describe('batches written while the one before commits', () => {
  let harness: SyncHarness;
  let world: World;
  let stripe: StripeSimulator;
  let connection: ConnectionRow;

  const setStatus = (status: ConnectionStatus) => harness.db.updateTable('integrations.connections').set({ status })
    .where('tenant_id', '=', harness.tenant).where('id', '=', connection.id).execute();
  const invoices = () => harness.rows('finance.invoices');
  const invoiceCursor = async () => (await harness.db.selectFrom('integrations.sync_cursors').select('cursor')
    .where('tenant_id', '=', harness.tenant).where('connection_id', '=', connection.id).where('stream', '=', 'invoices').executeTakeFirst())?.cursor as
    { phase: string; startingAfter?: string } | undefined;

  beforeAll(async () => {
    // Pages of 10 stored 20 records a transaction: the small world's invoices take many batches.
    harness = await syncHarness('sync-batch-order', { recordsPerCommit: 20 });
    world = await buildWorld({ tenant: harness.tenant, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z') });
    stripe = await startStripeSimulator(world);
    await seedCrmCompanies(harness, world);
    connection = await harness.connect('stripe', { baseUrl: stripe.url, credentials: stripe.credentials, config: { pageSize: 10 } });
    await harness.sync(connection, 'full', ['customers', 'subscriptions']);
  });
  afterAll(async () => {
    await stripe?.close();
    await harness?.close();
  });

  it('a pause between batches keeps exactly the batches committed before it; the next run adds the rest, each invoice and its event once', async () => {
    const total = world.rows('finance.invoices').length;
    expect(total).toBeGreaterThan(100);
    const committed: RunSummary[] = [];
    const run = await runStream(harness.deps, { tenantId: harness.tenant, connectionId: connection.id, stream: 'invoices', mode: 'full' }, (summary) => {
      committed.push(summary);
      // Paused as the second batch commits: the third may already be written, waiting for that commit.
      if (committed.length === 2) void setStatus('paused');
    });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/the connection is paused/);

    const kept = await invoices();
    const last = committed.at(-1)!;
    expect(committed.length).toBeGreaterThanOrEqual(2);
    expect(committed.length).toBeLessThan(total / 20);
    expect(kept.length).toBe(last.written);
    // Invoices are listed newest first: what is kept is the listing's first rows, up to the cursor kept with them.
    const listing = [...stripe.objects.get('invoice')!.values()].sort(newestFirst).map((i) => i.id);
    expect(kept.map((r) => r.external_id).sort()).toEqual(listing.slice(0, kept.length).sort());
    expect(await invoiceCursor()).toEqual(expect.objectContaining({ phase: 'list', startingAfter: listing[kept.length - 1] }));

    await setStatus('active');
    const [rest] = await harness.sync(connection, 'incremental', ['invoices']);
    expect(rest).toMatchObject({ status: 'succeeded', recordErrors: 0, written: total - kept.length });
    const all = await invoices();
    expect(all.map((r) => r.external_id).sort()).toEqual([...listing].sort());
    const { rows: events } = await sql<{ entity_id: string; n: number }>`select entity_id, count(*)::int as n from integrations.outbox
      where tenant_id = ${harness.tenant} and entity_type = 'Invoice' group by entity_id`.execute(harness.db);
    expect(events.length).toBe(total);
    expect(events.every((e) => e.n === 1)).toBe(true);
  });
});
