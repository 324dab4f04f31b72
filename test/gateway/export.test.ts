import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '../../core/auth.js';
import { config } from '../../core/config.js';
import { windowStart } from '../../core/windows.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { adoptionReportSql } from '../support/adoption-report.js';
import { rebuildUsageRollups } from '../../seed/rollups.js';

// A tenant of its own: every row these tests compare is inserted here.
const TENANT = 'export_bi';
/** A second one with many end users, walked across many pages. */
const MANY = 'export_many';
const MANY_USERS = 5_500;

const ADOPTION_COLUMNS = ['id', 'name', 'releasedAt', 'activeUsers', 'productActiveUsers', 'adoptionRate', 'powerUsers', 'associatedRevenue', 'cost', 'roi', 'currency', 'asOf'];

/** RFC 4180, read independently of the gateway's writer: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i++; }
    else field += c;
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}

/** The CSV as objects: header row as keys, empty fields as null. */
function csvRows(text: string): Record<string, string | null>[] {
  const [header, ...records] = parseCsv(text);
  return records.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] === '' ? null : r[i]])));
}

const ndjsonRows = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line));

const REPORT_QUERY = `query ($after: String, $days: Int!) {
  features(filter: { releasedWithinDays: $days }, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name releasedAt
      adoption(days: $days) { activeUsers productActiveUsers adoptionRate powerUsers }
      associatedRevenue { amount currency } cost { amount } roi
    } }
  }
}`;

describe('flat exports at /export for BI tools', () => {
  let t: TestStack;
  let base: string;
  const ids: Record<string, string> = {};
  let asOf: Date;

  const get = async (path: string, options: { tenant?: string; scopes?: string[]; token?: string } = {}) => {
    const token = options.token ?? (await t.token(options.tenant ?? TENANT, options.scopes));
    return fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  };

  /** Every page of the GraphQL report, as the graph answers it. */
  async function graphqlReport(days: number) {
    const rows: any[] = [];
    let after: string | null = null;
    do {
      const res: any = await t.query(REPORT_QUERY, { after, days }, { tenant: TENANT });
      expect(res.body.errors).toBeUndefined();
      rows.push(...res.body.data.features.edges.map((e: any) => e.node));
      after = res.body.data.features.pageInfo.hasNextPage ? res.body.data.features.pageInfo.endCursor : null;
    } while (after);
    return rows;
  }

  beforeAll(async () => {
    t = await startTestStack();
    base = t.url.replace(/\/graphql$/, '');
    const start = windowStart(90);
    const day = 86_400_000;
    const now = Date.now();
    for (const name of ['company', 'lone', 'f1', 'f2', 'f3', 'f4']) ids[name] = randomUUID();
    await sql`insert into sales.companies (tenant_id, id, name, domain, vendor, external_id)
      values (${TENANT}, ${ids.company}, 'Acme, "Exports" Inc', 'acme-export.example', 'salesforce', 'acc-1')`.execute(t.db);
    await sql`insert into sales.deals (tenant_id, id, company_id, name, stage, amount, close_date, is_closed, is_won, vendor, external_id) values
      (${TENANT}, ${randomUUID()}, ${ids.company}, ${'Renewal, "big"\nsecond line'}, 'Closed Won', 1234.50, current_date, true, true, 'salesforce', 'opp-1'),
      (${TENANT}, ${randomUUID()}, ${ids.company}, 'Pilot', 'Prospecting', 0, null, false, false, 'salesforce', 'opp-2')`.execute(t.db);
    // Four users of the company, one of none.
    const users = [1, 2, 3, 4, 5].map(() => randomUUID());
    [ids.u1, ids.u2, ids.u3, ids.u4, ids.u5] = users;
    await sql`insert into analytics.end_users (tenant_id, id, company_id, email, vendor, external_id)
      select ${TENANT}, u.id::uuid, case when u.n < 5 then ${ids.company}::uuid end, 'user' || u.n || '@acme-export.example', 'amplitude', 'user-' || u.n
      from unnest(${users}::text[]) with ordinality as u(id, n)`.execute(t.db);
    const features: [string, string, Date][] = [
      [ids.f1, 'Export, "quoted" feature', new Date(now - 10 * day)],
      [ids.f2, 'Unused feature', new Date(now - 5 * day)],
      // Released at the first instant of the window: in it.
      [ids.f3, 'Edge feature', start],
      // A second earlier: not in it.
      [ids.f4, 'Too old feature', new Date(start.getTime() - 1_000)],
    ];
    for (const [id, name, releasedAt] of features) {
      await sql`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
        values (${TENANT}, ${id}, ${`EXP-${name.length}`}, ${name}, 'released', ${releasedAt}, 'jira', ${id})`.execute(t.db);
    }
    // Enough features for more than one page at the features connection's maximum page size (1,000), none used.
    await sql`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
      select ${TENANT}, gen_random_uuid(), 'FILL-' || i, 'Filler ' || lpad(i::text, 3, '0'), 'released', now() - interval '1 day', 'jira', 'fill-' || i
      from generate_series(1, 1150) i`.execute(t.db);
    const events: [string, string | null, Date][] = [
      // u1 uses f1 on three distinct days (a power user), u2 on one.
      [ids.u1, ids.f1, new Date(now - 1 * day)], [ids.u1, ids.f1, new Date(now - 2 * day)], [ids.u1, ids.f1, new Date(now - 3 * day)],
      [ids.u1, ids.f1, new Date(now - 3 * day + 1_000)],
      [ids.u2, ids.f1, new Date(now - 4 * day)],
      // The window's edges: u3 at its first instant (in), u4 a second before (out).
      [ids.u3, ids.f3, start], [ids.u4, ids.f3, new Date(start.getTime() - 1_000)],
      // Product activity without a feature.
      [ids.u5, null, new Date(now - 2 * day)],
    ];
    let n = 0;
    for (const [user, feature, at] of events) {
      await sql`insert into analytics.usage_events (tenant_id, occurred_at, insert_id, end_user_id, feature_id, event_type, vendor)
        values (${TENANT}, ${at}, ${`ins-${n++}`}, ${user}, ${feature}, ${feature ? 'feature_used' : 'session_start'}, 'amplitude')`.execute(t.db);
    }
    // The daily rollups the graph reads, kept from the events as the Amplitude sync keeps them.
    await rebuildUsageRollups(t.db, TENANT);
    await sql`insert into finance.cost_entries (tenant_id, id, feature_id, category, amount, incurred_on, vendor, external_id) values
      (${TENANT}, ${randomUUID()}, ${ids.f1}, 'engineering', 200.10, current_date, 'ledger', 'c-1'),
      (${TENANT}, ${randomUUID()}, ${ids.f1}, 'design', 299.90, current_date, 'ledger', 'c-2')`.execute(t.db);
    // Connections feeding the report; the oldest success among them is the report's asOf. Engineering feeds none of its columns.
    asOf = new Date(now - 3 * 3_600_000);
    const connections: [string, string, Date][] = [
      ['jira', 'product', new Date(now - 600_000)], ['amplitude', 'analytics', asOf], ['salesforce', 'sales', new Date(now - 60_000)],
      ['ledger', 'finance', new Date(now - 120_000)], ['github', 'engineering', new Date(now - 30 * day)],
    ];
    for (const [vendor, domain, at] of connections) {
      await sql`insert into integrations.connections (tenant_id, id, vendor, domain, name, status, last_success_at)
        values (${TENANT}, ${randomUUID()}, ${vendor}, ${domain}, ${vendor}, 'active', ${at})`.execute(t.db);
    }
    await sql`insert into analytics.end_users (tenant_id, id, email, vendor, external_id)
      select ${MANY}, gen_random_uuid(), 'many' || i || '@example.com', 'amplitude', 'many-' || i from generate_series(1, ${MANY_USERS}::int) i`.execute(t.db);
  });

  afterAll(async () => {
    for (const table of ['analytics.usage_events', 'analytics.user_activity_daily', 'analytics.feature_usage_daily', 'analytics.end_users', 'finance.cost_entries',
      'sales.deals', 'sales.companies', 'product.features', 'integrations.connections']) {
      await sql`delete from ${sql.table(table)} where tenant_id in (${TENANT}, ${MANY})`.execute(t.db);
    }
    await t?.stop();
  });

  it('features-adoption as CSV and as NDJSON: the GraphQL report row for row over every page, and one SQL over the raw events', async () => {
    const csv = await get('/export/features-adoption.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="features-adoption.csv"');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe(ADOPTION_COLUMNS.join(','));
    const fromCsv = csvRows(text);

    const nd = await get('/export/features-adoption.ndjson');
    expect(nd.status).toBe(200);
    expect(nd.headers.get('content-type')).toBe('application/x-ndjson');
    const fromNdjson = ndjsonRows(await nd.text());

    const graph = await graphqlReport(90);
    expect(graph.length).toBeGreaterThan(100);
    const expected = graph.map((f) => ({
      id: f.id, name: f.name, releasedAt: f.releasedAt,
      activeUsers: f.adoption.activeUsers, productActiveUsers: f.adoption.productActiveUsers, adoptionRate: f.adoption.adoptionRate, powerUsers: f.adoption.powerUsers,
      associatedRevenue: f.associatedRevenue.amount, cost: f.cost.amount, roi: f.roi, currency: f.associatedRevenue.currency, asOf: asOf.toISOString(),
    }));
    expect(fromNdjson).toEqual(expected);
    // CSV holds text: the same values, written as text.
    expect(fromCsv).toEqual(expected.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)]))));

    // And the same numbers from the raw events, by hand.
    const bySql = new Map((await adoptionReportSql(TENANT, 90).execute(t.db)).rows.map((r) => [r.id, r]));
    expect(new Set(fromNdjson.map((r) => r.id))).toEqual(new Set(bySql.keys()));
    for (const row of fromNdjson) {
      const want = bySql.get(row.id)!;
      expect(row.name).toBe(want.name);
      expect(row.releasedAt).toBe(want.released_at.toISOString());
      expect(row.activeUsers).toBe(Number(want.active_users));
      expect(row.productActiveUsers).toBe(Number(want.product_users));
      expect(row.powerUsers).toBe(Number(want.power_users));
      expect(row.adoptionRate).toBeCloseTo((100 * Number(want.active_users)) / Number(want.product_users), 9);
      expect(row.associatedRevenue).toBe(want.revenue);
      expect(row.cost).toBe(want.cost);
      if (Number(want.cost) > 0) expect(row.roi).toBeCloseTo((Number(want.revenue) - Number(want.cost)) / Number(want.cost), 9);
      else expect(row.roi).toBeNull();
    }

    const byId = new Map(fromNdjson.map((r) => [r.id, r]));
    // The edge cases, spelled out: a power user; a feature nobody used; the window's first instant; one released a second too early.
    expect(byId.get(ids.f1)).toMatchObject({ activeUsers: 2, powerUsers: 1, productActiveUsers: 4, adoptionRate: 50, associatedRevenue: '1234.50', cost: '500.00' });
    expect(byId.get(ids.f1)!.roi).toBeCloseTo((1234.5 - 500) / 500, 12);
    expect(byId.get(ids.f2)).toMatchObject({ activeUsers: 0, powerUsers: 0, adoptionRate: 0, associatedRevenue: '0.00', cost: '0.00', roi: null });
    expect(byId.get(ids.f3)).toMatchObject({ activeUsers: 1, powerUsers: 0 });
    expect(byId.has(ids.f4)).toBe(false);
    // A value with a comma and quotes comes back as it was.
    expect(fromCsv.find((r) => r.id === ids.f1)!.name).toBe('Export, "quoted" feature');
    expect(text).toContain('"Export, ""quoted"" feature"');
  });

  it('the window follows `days`; `columns` picks and orders columns; asOf covers only the domains those columns read', async () => {
    const res = await get('/export/features-adoption.ndjson?days=7&columns=name,activeUsers,asOf&search=feature');
    expect(res.status).toBe(200);
    const rows = ndjsonRows(await res.text());
    // Released in the last 7 days and named "...feature": f2 only (f1 was released 10 days ago).
    expect(rows).toEqual([{ name: 'Unused feature', activeUsers: 0, asOf: asOf.toISOString() }]);
    expect(Object.keys(rows[0])).toEqual(['name', 'activeUsers', 'asOf']);

    const productOnly = ndjsonRows(await (await get('/export/features-adoption.ndjson?columns=id,asOf&search=Edge')).text());
    // Only the product connection (10 minutes ago) feeds id: analytics' older sync does not count.
    expect(productOnly).toEqual([{ id: ids.f3, asOf: expect.any(String) }]);
    expect(Date.parse(productOnly[0].asOf)).toBeGreaterThan(asOf.getTime());
  });

  it('entity lists: deals, end users and features, every row once, values round-tripping through CSV', async () => {
    const deals = csvRows(await (await get('/export/deals.csv?orderBy=amount&direction=desc')).text());
    expect(deals.map((d) => [d.name, d.amount, d.currency, d.companyId, d.isWon])).toEqual([
      ['Renewal, "big"\nsecond line', '1234.50', 'USD', ids.company, 'true'],
      ['Pilot', '0.00', 'USD', ids.company, 'false'],
    ]);
    const won = ndjsonRows(await (await get('/export/deals.ndjson?isWon=true&columns=name,closeDate')).text());
    expect(won).toEqual([{ name: 'Renewal, "big"\nsecond line', closeDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);

    const users = csvRows(await (await get(`/export/end-users.csv?companyId=${ids.company}`)).text());
    expect(users.map((u) => u.id)).toEqual([ids.u1, ids.u2, ids.u3, ids.u4].sort());
    expect(users.every((u) => u.companyId === ids.company && u.vendor === 'amplitude')).toBe(true);

    const features = ndjsonRows(await (await get('/export/features.ndjson?status=released&columns=id')).text());
    const count = await t.db.selectFrom('product.features').select(({ fn }) => fn.countAll<string>().as('n')).where('tenant_id', '=', TENANT).executeTakeFirstOrThrow();
    expect(features).toHaveLength(Number(count.n));
    expect(new Set(features.map((f) => f.id)).size).toBe(features.length);
  });

  it('usage events: every raw event of the tenant, oldest first, filtered as usageEvents is', async () => {
    const all = ndjsonRows(await (await get('/export/usage-events.ndjson')).text());
    const { rows } = await sql<{ insert_id: string; end_user_id: string; feature_id: string | null }>`
      select insert_id, end_user_id, feature_id from analytics.usage_events where tenant_id = ${TENANT} order by occurred_at, insert_id`.execute(t.db);
    expect(all.map((e) => [e.insertId, e.endUserId, e.featureId])).toEqual(rows.map((r) => [r.insert_id, r.end_user_id, r.feature_id]));
    const ofF1 = csvRows(await (await get(`/export/usage-events.csv?featureId=${ids.f1}&columns=endUserId`)).text());
    // u2's one use (4 days ago) is the oldest, then u1's four.
    expect(ofF1.map((e) => e.endUserId)).toEqual([ids.u2, ids.u1, ids.u1, ids.u1, ids.u1]);
  });

  it(`${MANY_USERS.toLocaleString('en')} end users arrive each exactly once, in pages of the bulk maximum`, async () => {
    t.statements.length = 0;
    const rows = ndjsonRows(await (await get('/export/end-users.ndjson?columns=id', { tenant: MANY })).text());
    const pages = t.statements.filter((s) => /from "analytics"\."end_users"/.test(s) && /\blimit\b/.test(s));
    expect(pages).toHaveLength(Math.ceil(MANY_USERS / config().MAX_BULK_PAGE_SIZE));
    const { rows: expected } = await sql<{ id: string }>`select id from analytics.end_users where tenant_id = ${MANY} order by id`.execute(t.db);
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('needs a valid bearer token: 401 with a code', async () => {
    for (const token of ['', 'not-a-jwt']) {
      const res = await get('/export/features-adoption.csv', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('money columns need financial_data.read: refused when asked for (403 naming the fields), served when left out', async () => {
    const reader = [Scope.Read];
    const denied = await get('/export/features-adoption.csv', { scopes: reader });
    expect(denied.status).toBe(403);
    const body: any = await denied.json();
    expect(body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', fields: expect.arrayContaining(['Feature.associatedRevenue', 'Feature.cost', 'Feature.roi']) });
    expect(body.errors[0].message).toMatch(/financial_data\.read/);
    expect((await get('/export/deals.ndjson?columns=name,amount', { scopes: reader })).status).toBe(403);

    const allowed = await get('/export/features-adoption.ndjson?columns=id,activeUsers,powerUsers', { scopes: reader });
    expect(allowed.status).toBe(200);
    expect(ndjsonRows(await allowed.text()).length).toBeGreaterThan(100);
  });

  it('bad parameters are refused with 400 and what to fix, before any row', async () => {
    const cases: [string, RegExp][] = [
      ['/export/features-adoption.csv?days=0', /days/],
      ['/export/features-adoption.csv?days=ninety', /days: expected a whole number/],
      ['/export/features-adoption.csv?days=3661', /days/],
      ['/export/features-adoption.csv?days=7&days=8', /days/],
      ['/export/features-adoption.csv?colour=red', /colour/],
      ['/export/features-adoption.csv?columns=id,revenue', /Unknown columns.*revenue/],
      ['/export/features.csv?status=SHIPPED', /status/],
      ['/export/deals.csv?isWon=yes', /isWon/],
      ['/export/deals.csv?closeFrom=2025-13-01', /closeFrom/],
      ['/export/end-users.csv?lastSeenFrom=yesterday', /lastSeenFrom/],
      // Checked by the graph itself, as for a query.
      ['/export/end-users.csv?companyId=not-a-uuid', /companyId/],
    ];
    for (const [path, message] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      const error = ((await res.json()) as any).errors[0];
      expect(error.extensions.code, path).toBe('BAD_USER_INPUT');
      expect(error.message, path).toMatch(message);
    }
  });

  it('an unknown report or format is 404 with a code', async () => {
    for (const path of ['/export/revenue-by-planet.csv', '/export/features-adoption.xlsx', '/export/features-adoption']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      const error = ((await res.json()) as any).errors[0];
      expect(error.extensions.code).toBe('NOT_FOUND');
      expect(error.message).toMatch(/features-adoption\.csv/);
    }
  });

  it('a failure after the first rows aborts the connection: the file cannot look complete', async () => {
    const res = await get('/export/end-users.csv?columns=id,email', { tenant: MANY });
    expect(res.status).toBe(200);
    // The first page is on its way; the subgraph behind every later page goes down.
    await t.stack.subgraphs.get('analytics')!.close();
    await expect(res.text()).rejects.toThrow();
  });
});
