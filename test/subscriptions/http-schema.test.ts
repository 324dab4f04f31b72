import { buildClientSchema, getIntrospectionQuery, printType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBSCRIPTION_EVENTS } from '../../gateway/subscriptions/events.js';
import { startTestStack, type TestStack } from '../support/stack.js';

describe('the Subscription root over HTTP', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); });

  it('introspection shows the Subscription type and every field, as clients and code generators read it', async () => {
    const res = await t.query(getIntrospectionQuery());
    expect(res.body.errors).toBeUndefined();
    const schema = buildClientSchema(res.body.data);
    const subscription = schema.getSubscriptionType() as GraphQLObjectType;
    expect(subscription?.name).toBe('Subscription');
    expect(Object.keys(subscription.getFields()).sort()).toEqual(SUBSCRIPTION_EVENTS.map((e) => e.field).sort());
    expect(printType(subscription)).toContain('featureReleased(after: String): Feature!');
    expect(printType(subscription)).toContain('feedbackReceived(featureId: ID, after: String): Feature!');
    // The query root is still the whole graph.
    expect(schema.getQueryType()!.getFields().features).toBeDefined();
  });

  it('answers __type next to data fields of the graph in one query', async () => {
    const res = await t.query('{ features(first: 1) { totalCount } __type(name: "Subscription") { fields { name type { ofType { name } } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.features.totalCount).toBeGreaterThan(0);
    expect(res.body.data.__type.fields).toContainEqual({ name: 'dealClosed', type: { ofType: { name: 'Deal' } } });
  });

  it('refuses a subscription sent over HTTP with USE_GRAPHQL_WS, naming the protocol and the path', async () => {
    const res = await t.query('subscription { featureReleased { id name } }');
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('USE_GRAPHQL_WS');
    expect(res.body.errors?.[0].message).toMatch(/graphql-ws.*\/graphql/);
  });
});
