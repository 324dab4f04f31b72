import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { resetTenants } from '../../seed/index.js';

// A tenant of its own: the rows written here change no other test's data.
const TENANT = 'cost_freshness';

const QUERY = `query ($ids: [ID!]!) {
  features(first: 10) { edges { node { id cost { amount currency } } } }
  featureCostColumns(featureIds: $ids) { amounts currencies }
}`;

/**
 * The cost of every feature is computed at once and kept while the tenant's data version is unchanged: each statement
 * writing cost entries (a new entry, a corrected amount, a deleted one) must show in the very next answer, of
 * Feature.cost and of the cost columns alike.
 */
describe('feature cost follows the cost ledger at once', () => {
  let t: TestStack;
  const feature = randomUUID();
  const entry = randomUUID();

  async function cost() {
    const res = await t.query(QUERY, { ids: [feature] }, { tenant: TENANT });
    expect(res.body.errors).toBeUndefined();
    const [node] = res.body.data.features.edges.map((e: any) => e.node);
    expect(res.body.data.featureCostColumns.amounts).toEqual([node.cost.amount]);
    return node.cost.amount as string;
  }

  const addEntry = (id: string, amount: string) => sql`insert into finance.cost_entries (tenant_id, id, feature_id, category, amount, incurred_on, vendor, external_id)
    values (${TENANT}, ${id}, ${feature}, 'engineering', ${amount}, current_date, 'ledger', ${id})`.execute(t.db);

  beforeAll(async () => {
    t = await startTestStack();
    await sql`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
      values (${TENANT}, ${feature}, 'CF-1', 'Feature CF-1', 'released', now() - interval '3 days', 'jira', 'CF-1')`.execute(t.db);
  });
  afterAll(async () => {
    await resetTenants(t.db, [TENANT]);
    await t?.stop();
  });

  it('changes with cost entries added, corrected and deleted', async () => {
    expect(await cost()).toBe('0.00');
    await addEntry(entry, '120.50');
    expect(await cost()).toBe('120.50');
    expect(await cost()).toBe('120.50');
    await addEntry(randomUUID(), '79.50');
    expect(await cost()).toBe('200.00');
    await sql`update finance.cost_entries set amount = 20.50 where tenant_id = ${TENANT} and id = ${entry}`.execute(t.db);
    expect(await cost()).toBe('100.00');
    await sql`delete from finance.cost_entries where tenant_id = ${TENANT} and id = ${entry}`.execute(t.db);
    expect(await cost()).toBe('79.50');
  });
});
