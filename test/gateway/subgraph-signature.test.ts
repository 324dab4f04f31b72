import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../core/config.js';
import { SIGNATURE_HEADER, signRequest } from '../../core/gateway-signature.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A } from '../support/tenants.js';

const BODY = JSON.stringify({ query: '{ features(first: 1) { totalCount } }' });
const FIELDS = { tenantId: TENANT_A, scopes: 'product_data.read', requestId: 'r-1' };

describe('subgraphs answer only the gateway', () => {
  let t: TestStack;
  let url: string;
  beforeAll(async () => {
    t = await startTestStack();
    url = t.stack.subgraphs.get('product')!.url;
  });
  afterAll(async () => { await t?.stop(); });

  async function call(headers: Record<string, string>, body = BODY) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: (await res.json()) as any };
  }

  const tenantHeaders = { 'x-tenant-id': FIELDS.tenantId, 'x-scopes': FIELDS.scopes, 'x-request-id': FIELDS.requestId };

  it.each([
    ['no headers at all', {}],
    ['a forged tenant header without a signature', tenantHeaders],
    ['a signature made with another secret', { ...tenantHeaders, [SIGNATURE_HEADER]: signRequest('y'.repeat(40), FIELDS, BODY) }],
    ['a signature for another tenant', { ...tenantHeaders, [SIGNATURE_HEADER]: signRequest(config().SUBGRAPH_SECRET, { ...FIELDS, tenantId: 'globex' }, BODY) }],
    ['a signature older than a minute', { ...tenantHeaders, [SIGNATURE_HEADER]: signRequest(config().SUBGRAPH_SECRET, FIELDS, BODY, Date.now() - 120_000) }],
    ['a malformed signature', { ...tenantHeaders, [SIGNATURE_HEADER]: 't=1,v1=zz' }],
  ])('refuses %s with 401 UNAUTHENTICATED', async (_name, headers) => {
    const res = await call(headers);
    expect(res.status).toBe(401);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.data).toBeUndefined();
  });

  it('refuses a signed request whose body was altered', async () => {
    const signature = signRequest(config().SUBGRAPH_SECRET, FIELDS, BODY);
    const res = await call({ ...tenantHeaders, [SIGNATURE_HEADER]: signature }, BODY.replace('first: 1', 'first: 2'));
    expect(res.status).toBe(401);
  });

  it('answers a request signed as the gateway signs it', async () => {
    const res = await call({ ...tenantHeaders, [SIGNATURE_HEADER]: signRequest(config().SUBGRAPH_SECRET, FIELDS, BODY) });
    expect(res.status).toBe(200);
    expect(res.body.data.features.totalCount).toBeGreaterThan(0);
  });
});
