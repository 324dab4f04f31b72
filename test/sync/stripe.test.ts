import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeSimulator, type StripeSimulator } from '../../simulators/stripe/index.js';
import { buildWorld, type World } from '../../simulators/shared/world.js';
import type { ConnectionRow } from '../../sync/connection-store.js';
import { seedCrmCompanies, expectVisibleFailure, syncHarness, type SyncHarness } from '../support/sync.js';

const DAY = 86_400;

describe('the Stripe connector against the Stripe simulator', () => {
  let harness: SyncHarness;
  let world: World;
  let stripe: StripeSimulator;
  let connection: ConnectionRow;

  const subscriptions = () => harness.rows('finance.subscriptions');
  const config = { pageSize: 40 };

  beforeAll(async () => {
    harness = await syncHarness('sync-stripe');
    world = await buildWorld({ tenant: harness.tenant, scale: 'small', anchor: new Date('2026-11-01T00:00:00Z') });
    stripe = await startStripeSimulator(world);
    // Customers resolve to the companies the CRM made: the world's companies stand in for a CRM sync.
    await seedCrmCompanies(harness, world);
    connection = await harness.connect('stripe', { baseUrl: stripe.url, credentials: stripe.credentials, config });
  });
  afterAll(async () => {
    await stripe?.close();
    await harness?.close();
  });

  it('a full sync stores every subscription and invoice as the generator made them, each customer joined to its company', async () => {
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.recordErrors])).toEqual([['customers', 'succeeded', 0], ['subscriptions', 'succeeded', 0], ['invoices', 'succeeded', 0]]);
    const bySub = new Map(world.rows('finance.subscriptions').map((r) => [r.id, r.external_id]));
    const expected = world.rows('finance.subscriptions').map((r) => [r.external_id, r.company_id, r.status, r.plan, r.amount, r.billing_interval, r.started_at.toISOString(), r.current_period_end?.toISOString() ?? null, r.canceled_at?.toISOString() ?? null]);
    const actual = (await subscriptions()).map((r) => [r.external_id, r.company_id, r.status, r.plan, r.amount, r.billing_interval, (r.started_at as Date).toISOString(), (r.current_period_end as Date | null)?.toISOString() ?? null, (r.canceled_at as Date | null)?.toISOString() ?? null]);
    expect(actual.sort()).toEqual(expected.sort());
    const invoices = await harness.rows('finance.invoices');
    const synced = new Map((await subscriptions()).map((r) => [r.id, r.external_id]));
    expect(invoices.map((r) => [r.external_id, r.company_id, synced.get(r.subscription_id as string), r.status, r.amount_due, r.amount_paid, r.currency]).sort())
      .toEqual(world.rows('finance.invoices').map((r) => [r.external_id, r.company_id, bySub.get(r.subscription_id), r.status, r.amount_due, r.amount_paid, 'USD']).sort());
    const identities = await harness.rows('sales.company_identities', ['vendor', 'external_id']);
    const stripeIds = identities.filter((i) => i.vendor === 'stripe');
    expect(stripeIds.map((i) => [i.external_id, i.company_id, i.matched_by]).sort())
      .toEqual(world.rows('sales.company_identities').filter((i) => i.vendor === 'stripe').map((i) => [i.external_id, i.company_id, i.matched_by]).sort());
  });

  it('an incremental sync applies only the events since: a canceled subscription, a paid invoice, a deleted draft', async () => {
    const [sub] = [...stripe.objects.get('subscription')!.values()].filter((s) => s.status === 'active');
    const [open] = [...stripe.objects.get('invoice')!.values()].filter((i) => i.status === 'open');
    const [gone] = [...stripe.objects.get('invoice')!.values()].filter((i) => i.id !== open.id);
    const now = Math.floor(Date.now() / 1000);
    stripe.update('subscription', sub.id, { status: 'canceled', canceled_at: now });
    stripe.update('invoice', open.id, { status: 'paid', amount_paid: open.amount_due, status_transitions: { ...open.status_transitions, paid_at: now } });
    stripe.remove('invoice', gone.id);
    const before = stripe.faults.stats.requests;
    const runs = await harness.sync(connection);
    expect(runs.map((r) => [r.stream, r.status, r.changed, r.deleted])).toEqual([['customers', 'succeeded', 0, 0], ['subscriptions', 'succeeded', 1, 0], ['invoices', 'succeeded', 1, 1]]);
    // Events, not listings: one request per stream.
    expect(stripe.faults.stats.requests - before).toBe(3);
    const row = (await subscriptions()).find((r) => r.external_id === sub.id)!;
    expect([row.status, (row.canceled_at as Date).getTime()]).toEqual(['canceled', now * 1000]);
    const invoices = await harness.rows('finance.invoices');
    expect(invoices.find((r) => r.external_id === open.id)).toMatchObject({ status: 'paid', amount_paid: invoices.find((r) => r.external_id === open.id)!.amount_due });
    expect(invoices.some((r) => r.external_id === gone.id)).toBe(false);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from integrations.outbox where tenant_id = ${harness.tenant} and entity_id = ${row.id as string}`.execute(harness.db);
    expect(rows[0].n).toBe(2); // created, then canceled
  });

  it('a deleted customer takes its identity with it; a subscription of several items is priced at their sum', async () => {
    const [template] = [...stripe.objects.get('subscription')!.values()].filter((s) => s.status === 'active');
    const item = template.items.data[0];
    const added = structuredClone(template);
    Object.assign(added, { id: 'sub_1SeveralItems0000000000', created: Math.floor(Date.now() / 1000) });
    added.items.data = [
      { ...item, id: 'si_SeveralA', quantity: 3, price: { ...item.price, unit_amount: 1_999 } },
      { ...item, id: 'si_SeveralB', quantity: 1, price: { ...item.price, unit_amount: 50_001 } },
    ];
    stripe.add('subscription', added);
    const customer = [...stripe.objects.get('customer')!.values()].find((c) => c.id !== template.customer)!;
    stripe.remove('customer', customer.id);

    const runs = await harness.sync(connection, 'incremental', ['customers', 'subscriptions']);
    expect(runs.map((r) => [r.stream, r.status, r.recordErrors])).toEqual([['customers', 'succeeded', 0], ['subscriptions', 'succeeded', 0]]);
    expect((await subscriptions()).find((r) => r.external_id === added.id)!.amount).toBe('559.98');
    const identities = await harness.rows('sales.company_identities', ['vendor', 'external_id']);
    expect(identities.some((i) => i.vendor === 'stripe' && i.external_id === customer.id)).toBe(false);
    expect(identities.filter((i) => i.vendor === 'stripe')).toHaveLength(stripe.objects.get('customer')!.size);
  });

  it('with events older than Stripe keeps, lists everything again instead of missing changes', async () => {
    const [sub] = [...stripe.objects.get('subscription')!.values()].filter((s) => s.status === 'active');
    stripe.update('subscription', sub.id, { status: 'past_due' });
    stripe.forgetEvents();
    await sql`update integrations.sync_cursors set cursor = jsonb_set(cursor, '{created}', to_jsonb(${Math.floor(Date.now() / 1000) - 31 * DAY}::int))
      where connection_id = ${connection.id} and stream = 'subscriptions'`.execute(harness.db);
    const [run] = await harness.sync(connection, 'incremental', ['subscriptions']);
    expect(run).toMatchObject({ status: 'succeeded', changed: 1 });
    expect(run.read).toBe(stripe.objects.get('subscription')!.size);
    expect((await subscriptions()).find((r) => r.external_id === sub.id)!.status).toBe('past_due');
  });

  it('a reconciliation removes a subscription the vendor no longer lists', async () => {
    const [sub] = [...stripe.objects.get('subscription')!.values()];
    stripe.objects.get('subscription')!.delete(sub.id);
    const [run] = await harness.sync(connection, 'reconcile', ['subscriptions']);
    expect(run).toMatchObject({ status: 'succeeded', deleted: 1 });
    expect((await subscriptions()).some((r) => r.external_id === sub.id)).toBe(false);
  });

  it('rides out a 429 storm when Stripe says to retry, honouring Retry-After, without duplicates', async () => {
    const count = (await subscriptions()).length;
    stripe.faults.set({ rateLimit: { requests: 2, retryAfterSeconds: 1 } });
    const t0 = performance.now();
    const [run] = await harness.sync(connection, 'full', ['subscriptions']);
    expect(run.status).toBe('succeeded');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2_000);
    expect(stripe.faults.stats.rateLimited).toBeGreaterThanOrEqual(2);
    expect((await subscriptions()).length).toBe(count);
  });

  it('does not retry a 429 that lacks Stripe-Should-Retry, as the official SDK does not; the next run succeeds', async () => {
    const limitedBefore = stripe.faults.stats.rateLimited;
    stripe.setRateLimitAdvice(null);
    stripe.faults.set({ rateLimit: { requests: 1, retryAfterSeconds: 1 } });
    const [refused] = await harness.sync(connection, 'incremental', ['invoices']);
    expect(refused).toMatchObject({ status: 'failed', retries: 0 });
    expect(refused.error).toMatch(/without Stripe-Should-Retry: 429/);
    expect(stripe.faults.stats.rateLimited - limitedBefore).toBe(1);
    stripe.setRateLimitAdvice('true');
    const [next] = await harness.sync(connection, 'incremental', ['invoices']);
    expect(next.status).toBe('succeeded');
  });

  it('retries 5xx and timeouts; when they persist the run fails visibly and the next resumes from its cursor', async () => {
    stripe.faults.set({ serverError: { requests: 1 }, slow: { requests: 1, ms: 6_000 } });
    const [ok] = await harness.sync(connection, 'full', ['invoices']);
    expect(ok.status).toBe('succeeded');
    expect(ok.retries).toBeGreaterThanOrEqual(2);

    await harness.db.deleteFrom('finance.invoices').where('tenant_id', '=', harness.tenant).execute();
    await harness.db.deleteFrom('integrations.sync_cursors').where('connection_id', '=', connection.id).where('stream', '=', 'invoices').execute();
    // Some pages land (each answer a little slow, so the failure comes mid-listing), then the vendor fails for good.
    stripe.faults.set({ latencyMs: 30 });
    const requestsBefore = stripe.faults.stats.requests;
    const failing = harness.sync(connection, 'incremental', ['invoices']);
    while (stripe.faults.stats.requests === requestsBefore) await new Promise((r) => setTimeout(r, 5));
    stripe.faults.set({ serverError: { requests: 1_000 } });
    const [failed] = await failing;
    await expectVisibleFailure(harness, failed);
    // Pages read before the failure are stored; the cursor stands at the last of them.
    const stored = (await harness.rows('finance.invoices')).length;
    expect(stored % config.pageSize).toBe(0);
    expect(stored).toBeGreaterThanOrEqual(config.pageSize);
    expect(stored).toBeLessThan(stripe.objects.get('invoice')!.size);

    stripe.faults.set({});
    const [resumed] = await harness.sync(connection, 'incremental', ['invoices']);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.read).toBe(stripe.objects.get('invoice')!.size - stored);
    expect((await harness.rows('finance.invoices')).length).toBe(stripe.objects.get('invoice')!.size);
    expect((await harness.db.selectFrom('integrations.connections').select('status').where('id', '=', connection.id).executeTakeFirstOrThrow()).status).toBe('active');
  });

  it('keeps a malformed record in record errors with its reason while the rest lands; unknown fields are ignored', async () => {
    const [bad] = [...stripe.objects.get('invoice')!.values()];
    stripe.faults.set({ malformed: [bad.id], unknownFields: true });
    const [run] = await harness.sync(connection, 'full', ['invoices']);
    expect(run).toMatchObject({ status: 'succeeded', recordErrors: 1, written: stripe.objects.get('invoice')!.size - 1 });
    const errors = await harness.db.selectFrom('integrations.record_errors').select(['external_id', 'reason']).where('run_id', '=', run.runId!).execute();
    expect(errors).toEqual([{ external_id: bad.id, reason: 'amount_due: expected integer cents, got "n/a"' }]);
    const other = (await harness.rows('finance.invoices')).find((r) => r.external_id !== bad.id)!;
    expect((other.raw as Record<string, unknown>).x_tax_automation).toBeDefined();
    stripe.faults.set({});
  });

  it('a revoked key puts the connection in needs_reauth and writes nothing more', async () => {
    stripe.revokeKey();
    const before = await harness.rows('finance.invoices');
    const runs = await harness.sync(connection, 'full');
    expect(runs[0]).toMatchObject({ status: 'failed' });
    expect(runs.slice(1).every((r) => r.status === 'skipped')).toBe(true);
    const state = await harness.db.selectFrom('integrations.connections').select(['status', 'last_error']).where('id', '=', connection.id).executeTakeFirstOrThrow();
    expect(state.status).toBe('needs_reauth');
    expect(await harness.rows('finance.invoices')).toEqual(before);
  });
});
