import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { subscribe } from '../support/subscriptions.js';

// A tenant of its own: the rows written here change no other test's data.
const TENANT = 'subs_initech';

describe('domain events through the gateway', () => {
  let t: TestStack;
  let token: string;
  const company = randomUUID();
  const [featureA, featureB] = [randomUUID(), randomUUID()];
  let n = 0;
  const next = () => ++n;

  beforeAll(async () => {
    t = await startTestStack();
    token = await t.token(TENANT);
    await sql`insert into sales.companies (tenant_id, id, name, domain, segment, vendor, external_id)
      values (${TENANT}, ${company}, 'Initech', 'initech.example', 'smb', 'salesforce', 'acc-1')`.execute(t.db);
    for (const [id, key] of [[featureA, 'EV-1'], [featureB, 'EV-2']]) {
      await sql`insert into product.features (tenant_id, id, key, name, status, vendor, external_id)
        values (${TENANT}, ${id}, ${key}, ${`Feature ${key}`}, 'in_progress', 'jira', ${key})`.execute(t.db);
    }
  });
  afterAll(async () => {
    for (const table of ['customer_success.feedback', 'customer_success.health_scores', 'sales.deals', 'analytics.feature_usage_daily', 'analytics.usage_event_marks', 'product.features', 'sales.companies']) {
      await sql`delete from ${sql.table(table)} where tenant_id = ${TENANT}`.execute(t.db);
    }
    await t?.stop();
  });

  it('feedbackReceived(featureId:) sends the feedback of that feature only, its answer in the event', async () => {
    const s = await subscribe(t.url, token, `subscription($id: ID) { feedbackReceived(featureId: $id) { id key } }`, { id: featureA });
    for (const [feature, score] of [[featureB, 3], [featureA, 9]] as const) {
      const i = next();
      await sql`insert into customer_success.feedback (tenant_id, id, feature_id, company_id, kind, score, received_at, vendor, external_id)
        values (${TENANT}, ${randomUUID()}, ${feature}, ${company}, 'nps', ${score}, now(), 'gainsight', ${`fb-${i}`})`.execute(t.db);
    }
    await s.next(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({ data: { feedbackReceived: { id: featureA, key: 'EV-1' } }, extensions: { eventType: 'user_feedback', payload: { kind: 'nps', score: 9 } } });
    await s.stop();
  });

  it('dealClosed sends a deal as it closes, with its company from the sales subgraph', async () => {
    const s = await subscribe(t.url, token, `subscription { dealClosed { id name amount { amount } company { name } } }`);
    const deal = randomUUID();
    await sql`insert into sales.deals (tenant_id, id, company_id, name, stage, amount, vendor, external_id)
      values (${TENANT}, ${deal}, ${company}, 'Initech renewal', 'Negotiation', 1200.50, 'salesforce', 'opp-1')`.execute(t.db);
    await sql`update sales.deals set name = 'Initech renewal (2 seats)' where id = ${deal}`.execute(t.db);
    await sql`update sales.deals set stage = 'Closed Won', is_closed = true, is_won = true where id = ${deal}`.execute(t.db);
    await s.next(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({ data: { dealClosed: { id: deal, name: 'Initech renewal (2 seats)', amount: { amount: '1200.50' }, company: { name: 'Initech' } } }, extensions: { payload: { won: true } } });
    await s.stop();
  });

  it('deals closing together are answered together, each event with its own deal and its own error once', async () => {
    // Deals have no list field by ids: a burst of their events is one operation of aliases, filled up to a power of two.
    const s = await subscribe(t.url, token, `subscription { dealClosed { id company { name activeUsers(days: 5000) } } }`);
    const { rows } = await sql<{ id: string }>`insert into sales.deals (tenant_id, id, company_id, name, stage, amount, vendor, external_id)
      select ${TENANT}, gen_random_uuid(), ${company}, 'Together ' || i, 'Negotiation', 100, 'salesforce', 'opp-together-' || i from generate_series(1, 3) i
      returning id`.execute(t.db);
    await sql`update sales.deals set stage = 'Closed Won', is_closed = true, is_won = true where tenant_id = ${TENANT} and external_id like 'opp-together-%'`.execute(t.db);
    await s.next(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.events).toHaveLength(3);
    expect(s.events.map((e) => e.data?.dealClosed.id).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const event of s.events) {
      expect(event.data?.dealClosed.company).toEqual({ name: 'Initech', activeUsers: null });
      expect(event.errors).toHaveLength(1);
      expect(event.errors![0]).toMatchObject({ path: ['dealClosed', 'company', 'activeUsers'], extensions: { code: 'BAD_USER_INPUT' } });
    }
    await s.stop();
  });

  it('churnRiskChanged sends the company when a new health score changes its band, not when it stays in it', async () => {
    const s = await subscribe(t.url, token, `subscription { churnRiskChanged { id name health { score band } } }`);
    const snapshot = (score: number, previous: number, i = next()) => sql`insert into customer_success.health_scores
      (tenant_id, id, company_id, score, previous_score, measured_at, vendor, external_id)
      values (${TENANT}, ${randomUUID()}, ${company}, ${score}, ${previous}, now() + make_interval(secs => ${i}), 'gainsight', ${`hs-${i}`})`.execute(t.db);
    await snapshot(75, 80);
    await snapshot(35, 75);
    await s.next(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.events).toHaveLength(1);
    expect(s.events[0]).toMatchObject({ data: { churnRiskChanged: { id: company, name: 'Initech', health: { score: 35, band: 'RED' } } }, extensions: { payload: { from: 'green', to: 'red' } } });
    await s.stop();
  });

  it('usageMetricsUpdated(featureId:) speaks for a feature at most once a minute, however many rollup writes', async () => {
    const s = await subscribe(t.url, token, `subscription($id: ID) { usageMetricsUpdated(featureId: $id) { id key } }`, { id: featureB });
    for (let i = 0; i < 3; i++) {
      await sql`insert into analytics.feature_usage_daily as d (tenant_id, feature_id, day, end_user_id, event_count)
        values (${TENANT}, ${featureB}, current_date, ${randomUUID()}, 1), (${TENANT}, ${featureA}, current_date, ${randomUUID()}, 2)
        on conflict (tenant_id, feature_id, day, end_user_id) do update set event_count = d.event_count + 1`.execute(t.db);
    }
    await s.next(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.events.map((e) => e.data?.usageMetricsUpdated.id)).toEqual([featureB]);
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from integrations.outbox
      where tenant_id = ${TENANT} and event_type = 'usage_metrics'`.execute(t.db);
    expect(rows[0].count).toBe(2);
    await s.stop();
  });
});
