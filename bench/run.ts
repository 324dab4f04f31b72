import 'reflect-metadata';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ALL_SCOPES, signToken } from '../core/auth.js';
import { openDatabase } from '../core/bootstrap.js';
import { maxPageSize } from '../core/page-sizes.js';
import { createTenantDatabases } from '../core/db.js';
import { startStack } from '../runtime/stack.js';
import { hasData, resetTenants, seedTenants } from '../seed/index.js';
import { ADOPTION_QUERY, adoptionReportSql } from '../test/support/adoption-report.js';
import { percentile, timeRuns } from './stats.js';

/**
 * `npm run bench -- --scale medium|large [--only adoption,load,export,walks,reports]`: figures as ratios measured in one run.
 * Data lives in its own database (product_graph_bench unless --database) and is seeded once per scale.
 */
// The benchmark measures the service, not the per-tenant rate limit (a BI tool's own limit is a setting).
process.env.RATE_LIMIT_REQUESTS ??= '1000000000';
const { values } = parseArgs({ options: { database: { type: 'string', default: 'product_graph_bench' }, scale: { type: 'string', default: 'medium' }, runs: { type: 'string', default: '15' }, seconds: { type: 'string', default: '10' }, only: { type: 'string' } } });
const scale = values.scale as 'medium' | 'large' | 'small';
if (!['small', 'medium', 'large'].includes(scale)) throw new Error('--scale must be small, medium or large');
const tenant = `bench_${scale}`;
const runs = Number(values.runs);

const database = await openDatabase({ database: values.database });
const { db } = database;
if (!(await hasData(db, tenant))) {
  console.log(`Seeding ${scale} data for tenant ${tenant} (once)…`);
  await resetTenants(db, [tenant]);
  const started = performance.now();
  await seedTenants(db, { url: database.url, scale, tenants: [tenant] });
  console.log(`  seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
const serving = createTenantDatabases({ url: database.url, poolSize: 20 });
const stack = await startStack({ databases: serving, db, databaseUrl: database.url, host: '127.0.0.1', gatewayPort: 0, subgraphPortBase: 0 });
const token = await signToken({ tenantId: tenant, scopes: [...ALL_SCOPES] });

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
  return body.data;
}

/** Every page of a report on the `features` connection (`query` takes `$after`): the rows it returned. */
async function featurePages(query: string): Promise<number> {
  let rows = 0;
  let after: string | null = null;
  do {
    const data = await graphql(query, { after });
    rows += data.features.edges.length;
    after = data.features.pageInfo.hasNextPage ? data.features.pageInfo.endCursor : null;
  } while (after);
  return rows;
}

/** The whole report: every page of features released in the window, with adoption and revenue. */
const adoptionThroughGateway = () => featurePages(ADOPTION_QUERY);

const exportBase = stack.gateway.url.replace(/\/graphql$/, '');
async function csvExport(path: string): Promise<number> {
  const res = await fetch(`${exportBase}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  // The client runs in the graph's own process: count line feeds without an iterator per byte.
  let rows = -1;
  for await (const chunk of res.body!) {
    const bytes = chunk as Uint8Array;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) rows++;
  }
  return rows;
}

/** Every row of a root connection at its largest page, up to `limit` rows: rows, rows/s and the page size. */
async function walkConnection(field: string, selection: string, limit: number): Promise<{ rows: number; perSecond: number; last: any; pageSize: number }> {
  const pageSize = maxPageSize(`Query.${field}`);
  const query = `query ($after: String) { ${field}(first: ${pageSize}, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${selection} } } } }`;
  const started = performance.now();
  let rows = 0;
  let last: any = null;
  let after: string | null = null;
  do {
    const data = await graphql(query, { after });
    rows += data[field].edges.length;
    last = data[field].edges.at(-1)?.node ?? last;
    after = data[field].pageInfo.hasNextPage && rows < limit ? data[field].pageInfo.endCursor : null;
  } while (after);
  return { rows, perSecond: rows / ((performance.now() - started) / 1000), last, pageSize };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');

/** Each section measures one target and returns the lines it prints. */
const SECTIONS: Record<string, () => Promise<string>> = {
  async adoption() {
    const reportRows = await adoptionThroughGateway();
    const gatewaySamples = await timeRuns(runs, 2, adoptionThroughGateway);
    const sqlSamples = await timeRuns(runs, 2, () => adoptionReportSql(tenant).execute(db));
    const [gMed, gP95, sMed, sP95] = [percentile(gatewaySamples, 50), percentile(gatewaySamples, 95), percentile(sqlSamples, 50), percentile(sqlSamples, 95)];
    return `Adoption report (seed 000), ${reportRows} features released in the last 90 days   median        p95
  through the gateway          ${fmt(gMed).padStart(10)} ${fmt(gP95).padStart(10)}
  one hand-written SQL         ${fmt(sMed).padStart(10)} ${fmt(sP95).padStart(10)}
  ratio gateway / SQL          ${(gMed / sMed).toFixed(2).padStart(9)}x ${(gP95 / sP95).toFixed(2).padStart(9)}x   target: median at most 2x ${met(gMed / sMed <= 2)}`;
  },

  async load() {
    const THREE_SUBGRAPHS = `{ features(first: 20, orderBy: { field: UPDATED_AT, direction: DESC }) {
  edges { node { name adoption { activeUsers adoptionRate } cost { amount } } } } }`;
    await graphql(THREE_SUBGRAPHS);
    const load = await autocannon({
      url: stack.gateway.url,
      method: 'POST',
      connections: 16,
      duration: Number(values.seconds),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: THREE_SUBGRAPHS }),
    });
    return `Three-subgraph query (product + analytics + finance, 20 features), 16 connections, ${values.seconds} s
  requests/s                   ${load.requests.average.toFixed(0).padStart(10)}
  latency median / p99         ${fmt(load.latency.p50)} / ${fmt(load.latency.p99)}
  errors / non-2xx             ${load.errors} / ${load.non2xx}`;
  },

  // Flat exports for BI tools: the adoption report over every released feature (the widest window) as one CSV,
  // against the same rows paged through GraphQL by the client itself.
  async export() {
    const ALL_DAYS = 3660;
    const ADOPTION_ALL = ADOPTION_QUERY.replaceAll('90', String(ALL_DAYS)).replace('associatedRevenue { amount currency }', 'associatedRevenue { amount currency } cost { amount } roi');
    const adoptionPagedByClient = () => featurePages(ADOPTION_ALL);
    const exportRows = await csvExport(`/export/features-adoption.csv?days=${ALL_DAYS}`);
    const exportSamples = await timeRuns(runs, 2, () => csvExport(`/export/features-adoption.csv?days=${ALL_DAYS}`));
    const pagedSamples = await timeRuns(runs, 2, adoptionPagedByClient);
    const exportRate = exportRows / (percentile(exportSamples, 50) / 1000);
    return `Flat export: features-adoption.csv of every released feature (${exportRows} rows, days=${ALL_DAYS})   median        p95
  GET /export (streamed CSV)   ${fmt(percentile(exportSamples, 50)).padStart(10)} ${fmt(percentile(exportSamples, 95)).padStart(10)}
  rows/s                       ${exportRate.toFixed(0).padStart(10)}   target: at least 50,000 ${met(exportRate >= 50_000)}
  client paging GraphQL        ${fmt(percentile(pagedSamples, 50)).padStart(10)} ${fmt(percentile(pagedSamples, 95)).padStart(10)}
  ratio export / paging        ${(percentile(exportSamples, 50) / percentile(pagedSamples, 50)).toFixed(2).padStart(9)}x ${(percentile(exportSamples, 95) / percentile(pagedSamples, 95)).toFixed(2).padStart(9)}x`;
  },

  async walks() {
    const endUserWalk = await walkConnection('endUsers', 'id email lastSeenAt company { id }', Infinity);
    const usageWalk = await walkConnection('usageEvents', 'occurredAt insertId eventType feature { id }', 1_000_000);
    // The same events as one CSV: those before the last one walked.
    const started = performance.now();
    const exportedRows = await csvExport(`/export/usage-events.csv?to=${encodeURIComponent(usageWalk.last?.occurredAt ?? new Date().toISOString())}`);
    const exportedPerSecond = exportedRows / ((performance.now() - started) / 1000);
    const pages = [...new Set([endUserWalk.pageSize, usageWalk.pageSize])].join(', ');
    return `Walking connections at their largest page (${pages}), once each         rows     rows/s   (target: at least 20,000 rows/s)
  endUsers (every end user)    ${String(endUserWalk.rows).padStart(10)} ${endUserWalk.perSecond.toFixed(0).padStart(10)}   ${met(endUserWalk.perSecond >= 20_000)}
  usageEvents (up to 1M)       ${String(usageWalk.rows).padStart(10)} ${usageWalk.perSecond.toFixed(0).padStart(10)}   ${met(usageWalk.perSecond >= 20_000)}
  usage-events.csv (same span) ${String(exportedRows).padStart(10)} ${exportedPerSecond.toFixed(0).padStart(10)}`;
  },

  /** The first page of every report, as a dashboard asks for it (target: under 300 ms at the median). */
  async reports() {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const REPORTS: [name: string, query: string][] = [
      ['feature adoption and ROI', ADOPTION_QUERY],
      ['usage over time (product, weekly)', `{ usageOverTime(from: "${day(-91)}", to: "${day(1)}", granularity: WEEK) { asOf rows { periodStart dau wau mau stickiness } } }`],
      ['usage over time (20 features, daily)', `{ features(first: 20) { edges { node { usageOverTime(from: "${day(-30)}", to: "${day(1)}") { rows { dau mau } } } } } }`],
      ['usage over time (product, weekly, New York)', `{ usageOverTime(from: "${day(-91)}", to: "${day(1)}", granularity: WEEK, timeZone: "America/New_York") { asOf rows { periodStart dau wau mau stickiness } } }`],
      ['usage over time (20 features, daily, Kolkata)', `{ features(first: 20) { edges { node { usageOverTime(from: "${day(-30)}", to: "${day(1)}", timeZone: "Asia/Kolkata") { rows { dau mau } } } } } }`],
      ['retention cohorts (weekly)', `{ retentionCohorts(from: "${day(-84)}", to: "${day(1)}", granularity: WEEK) { rows { cohortStart period retainedUsers retentionRate } } }`],
      ['retention cohorts (weekly, New York)', `{ retentionCohorts(from: "${day(-84)}", to: "${day(1)}", granularity: WEEK, timeZone: "America/New_York") { rows { cohortStart period retainedUsers retentionRate } } }`],
      ['market validation (20 features)', `{ features(first: 20) { edges { node { marketValidation(days: 90) { engagement adoption satisfaction marketFit score successful } } } } }`],
      ['DORA and velocity', `{ doraMetrics(days: 30) { deploymentsPerDay changeFailureRate medianLeadTimeHours medianTimeToRestoreHours mergedPullRequestsPerWeek } }`],
      ['pipeline by stage', `{ pipelineByStage { asOf stages(first: 50) { totalCount edges { node { stage deals totalAmount { amount } } } } } }`],
      ['revenue by adoption (20 features)', `{ features(first: 20) { edges { node { revenueByAdoption { rows { adopting companies wonRevenue { amount } } } } } } }`],
      ['health and ARR at risk by segment', `{ customerSegments { segment companyCount health { red yellow green averageScore } arrAtRisk { highRisk { amount } total { amount } } } }`],
    ];
    const lines: string[] = [];
    for (const [name, query] of REPORTS) {
      // The first request also pays for what is kept per data version until the tenant's data changes.
      const started = performance.now();
      await graphql(query);
      const first = performance.now() - started;
      const samples = await timeRuns(runs, 2, () => graphql(query));
      lines.push(`  ${name.padEnd(46)} ${fmt(first).padStart(10)} ${fmt(percentile(samples, 50)).padStart(10)} ${fmt(percentile(samples, 95)).padStart(10)}   ${met(percentile(samples, 50) < 300)}`);
    }
    return `First page of every report, through the gateway (target: median under 300 ms)           first     median        p95\n${lines.join('\n')}`;
  },
};

const only = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(SECTIONS);
const unknown = only.filter((name) => !(name in SECTIONS));
if (unknown.length) throw new Error(`--only: unknown section ${unknown.join(', ')}; the sections are ${Object.keys(SECTIONS).join(', ')}`);
const counts = await db.selectFrom('product.features').select(({ fn }) => fn.countAll<string>().as('n')).where('tenant_id', '=', tenant).executeTakeFirstOrThrow();
console.log(`\nProduct Graph benchmark — scale ${scale} (${counts.n} features), ${runs} runs each\n`);
for (const name of only) console.log(`${await SECTIONS[name]()}\n`);
await stack.stop();
await serving.destroy();
await database.close();
