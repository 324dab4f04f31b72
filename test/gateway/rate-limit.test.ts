import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TENANT_A, TENANT_B } from '../support/tenants.js';

// A small budget for this file's gateway: 20 requests per tenant per minute.
vi.stubEnv('RATE_LIMIT_REQUESTS', '20');
vi.stubEnv('RATE_LIMIT_WINDOW_SECONDS', '60');

const QUERY = '{ features(first: 1) { totalCount } }';

describe('per-tenant rate limits', () => {
  let t: TestStack;
  beforeAll(async () => { t = await startTestStack(); });
  afterAll(async () => { await t?.stop(); vi.unstubAllEnvs(); });

  it("refuses a tenant's flood with 429 and Retry-After, and keeps answering the other tenants", async () => {
    const flood = await Promise.all(Array.from({ length: 60 }, () => t.query(QUERY, {}, { tenant: TENANT_A })));
    const ok = flood.filter((r) => r.status === 200);
    const limited = flood.filter((r) => r.status === 429);
    expect(ok).toHaveLength(20);
    expect(limited).toHaveLength(40);
    expect(limited[0].body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited[0].body.data).toBeUndefined();

    const other = await t.query(QUERY, {}, { tenant: TENANT_B });
    expect(other.status).toBe(200);
    expect(other.body.data.features.totalCount).toBeGreaterThan(0);
  });
});
