import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../core/auth.js';
import { config } from '../../core/config.js';
import { SIGNATURE_HEADER, signRequest } from '../../core/gateway-signature.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A } from '../support/tenants.js';

const REVENUE = `{ features(first: 2) { edges { node { name ...Money } } } }
  fragment Money on Feature { associatedRevenue { amount } cost { amount } }`;

describe('field scopes: revenue and costs need more than read', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); });

  it('the gateway refuses an operation selecting them (through a fragment too) without financial_data.read, naming each field', async () => {
    const reader = await t.token(TENANT_A, [Scope.Read]);
    const denied = await t.query(REVENUE, {}, { token: reader });
    expect(denied.status).toBe(403);
    expect(denied.body.data).toBeUndefined();
    expect(denied.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', fields: ['Feature.associatedRevenue', 'Feature.cost'] });
    expect(denied.body.errors?.[0].message).toMatch(/financial_data\.read/);

    const plain = await t.query('{ features(first: 2) { edges { node { name } } } }', {}, { token: reader });
    expect(plain.body.errors).toBeUndefined();
    const allowed = await t.query(REVENUE, {}, { token: await t.token(TENANT_A, [Scope.Read, Scope.FinancialRead]) });
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data.features.edges[0].node.associatedRevenue.amount).toMatch(/^\d+\.\d{2}$/);
  });

  it('managing connections needs integrations.admin', async () => {
    const res = await t.query('mutation { syncConnection(id: "00000000-0000-0000-0000-000000000000") { id } }', {}, { token: await t.token(TENANT_A, [Scope.Read, Scope.Write, Scope.FinancialRead]) });
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', fields: ['Mutation.syncConnection'] });
  });

  it('the subgraph checks again: a signed request whose scopes lack it gets FORBIDDEN on the field', async () => {
    const url = t.stack.subgraphs.get('finance')!.url;
    const body = JSON.stringify({ query: '{ subscriptions(first: 1) { edges { node { status amount { amount } } } } }' });
    const call = async (scopes: string) => {
      const fields = { tenantId: TENANT_A, scopes, requestId: 'scopes-test' };
      const res = await fetch(url, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', 'x-tenant-id': TENANT_A, 'x-scopes': scopes, 'x-request-id': fields.requestId, [SIGNATURE_HEADER]: signRequest(config().SUBGRAPH_SECRET, fields, body) },
      });
      return (await res.json()) as { data?: any; errors?: { extensions: { code: string } }[] };
    };
    const denied = await call(Scope.Read);
    expect(denied.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const allowed = await call(`${Scope.Read} ${Scope.FinancialRead}`);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data.subscriptions.edges[0].node.amount.amount).toMatch(/^\d+\.\d{2}$/);
  });
});
