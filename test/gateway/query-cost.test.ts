import { readFile } from 'node:fs/promises';
import { buildSchema, parse, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../core/config.js';
import { maxPageSize } from '../../core/page-sizes.js';
import { SUPERGRAPH_FILE } from '../../schema/compose.js';
import { exportOperation } from '../../gateway/export/query.js';
import { EXPORT_REPORTS } from '../../gateway/export/reports.js';
import { assertCost } from '../../gateway/query-cost.js';

describe('query cost: each connection counts its page at its own maximum', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = buildSchema(await readFile(SUPERGRAPH_FILE, 'utf8'));
  });

  const limit = (maximum = config().MAX_QUERY_COST) => ({ maximum, defaultPageSize: config().DEFAULT_PAGE_SIZE, maxPageSize });
  /** The cost of `query`, under a limit too high to refuse it. */
  const cost = (query: string, variables: Record<string, unknown> = {}) => {
    const value = assertCost({ schema, document: parse(query), variables }, limit(Number.MAX_SAFE_INTEGER));
    expect(value, query).toBeTypeOf('number');
    return value!;
  };

  it('grows with `first` up to the bulk maximum of a root connection: a page of 1,000 costs 10 times a page of 100', () => {
    const flat = (first: number) => cost(`{ endUsers(first: ${first}) { edges { node { id email } } } }`);
    const bulk = config().MAX_BULK_PAGE_SIZE;
    expect(bulk).toBe(10 * config().MAX_PAGE_SIZE);
    expect(flat(bulk) - 1).toBe(10 * (flat(config().MAX_PAGE_SIZE) - 1));
    expect(flat(bulk)).toBeGreaterThan(flat(bulk - 1));
    // Past the maximum the subgraph refuses the page: the estimate stops growing there.
    expect(flat(bulk + 1)).toBe(flat(bulk));
  });

  it('a nested connection stays at the ordinary maximum', () => {
    const nested = (first: number) => cost(`{ features(first: 1) { edges { node { feedback(first: ${first}) { edges { node { id } } } } } } }`);
    expect(nested(config().MAX_PAGE_SIZE)).toBeGreaterThan(nested(config().MAX_PAGE_SIZE - 1));
    expect(nested(config().MAX_BULK_PAGE_SIZE)).toBe(nested(config().MAX_PAGE_SIZE));
  });

  it('refuses a 1,000-row page of nested lists that a 100-row page may ask for', () => {
    const query = `query ($n: Int) { features(first: $n) { edges { node { id feedback(first: 100) { edges { node { id score } } } } } } }`;
    expect(assertCost({ schema, document: parse(query), variables: { n: config().MAX_PAGE_SIZE } }, limit())).toBeLessThanOrEqual(config().MAX_QUERY_COST);
    let refusal: unknown;
    try {
      assertCost({ schema, document: parse(query), variables: { n: config().MAX_BULK_PAGE_SIZE } }, limit());
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX', maximum: config().MAX_QUERY_COST } });
    expect((refusal as { extensions: { cost: number } }).extensions.cost).toBeGreaterThan(config().MAX_QUERY_COST);
  });

  it('admits every export, with every column, at its connection\'s largest page', () => {
    for (const report of EXPORT_REPORTS.values()) {
      const first = maxPageSize(`Query.${report.field}`);
      expect(first, report.name).toBe(config().MAX_BULK_PAGE_SIZE);
      const estimate = cost(exportOperation(report, report.columns), { first, days: 90 });
      expect(estimate, report.name).toBeGreaterThan(first);
      expect(estimate, report.name).toBeLessThanOrEqual(config().MAX_QUERY_COST);
    }
  });
});
