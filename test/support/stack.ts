import { inject } from 'vitest';
import { ALL_SCOPES, signToken } from '../../core/auth.js';
import { createDb, createTenantDatabases, type Db, type TenantDatabases } from '../../core/db.js';
import { config } from '../../core/config.js';
import { startStack, type Stack } from '../../runtime/stack.js';
import { TENANT_A } from './tenants.js';
import { recordResponse } from './secret-scan.js';

export interface GraphQLResponse<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
  headers: Headers;
}

export interface TestStack {
  stack: Stack;
  /** The owner's connection, for assertions: sees every tenant. */
  db: Db;
  /** The serving connections the subgraphs use, one handle per tenant (row-level security). */
  databases: TenantDatabases;
  /** SQL statements the subgraphs sent since the last reset. */
  statements: string[];
  url: string;
  databaseUrl: string;
  token(tenantId?: string, scopes?: string[]): Promise<string>;
  /** POSTs a GraphQL request to the gateway as `tenant` (demo by default) unless `token` is given ('' sends none). */
  query<T = any>(query: string, variables?: Record<string, unknown>, options?: { tenant?: string; token?: string }): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/** The whole graph over the test database: every subgraph and the gateway on free ports. */
export async function startTestStack(options: { serving?: (databases: TenantDatabases) => TenantDatabases } = {}): Promise<TestStack> {
  const statements: string[] = [];
  const db = createDb({ url: inject('databaseUrl'), poolSize: 4 });
  const databases = createTenantDatabases({ url: inject('databaseUrl'), poolSize: 10, statementTimeoutMs: config().STATEMENT_TIMEOUT_MS, onQuery: (sql) => statements.push(sql) });
  const stack = await startStack({ databases: options.serving ? options.serving(databases) : databases, db, databaseUrl: inject('databaseUrl'), host: '127.0.0.1', gatewayPort: 0, subgraphPortBase: 0 });
  const tokens = new Map<string, string>();
  const token = async (tenantId = TENANT_A, scopes: string[] = [...ALL_SCOPES]) => {
    const key = `${tenantId}:${scopes.join(' ')}`;
    if (!tokens.has(key)) tokens.set(key, await signToken({ tenantId, scopes }));
    return tokens.get(key)!;
  };
  return {
    stack,
    db,
    databases,
    statements,
    url: stack.gateway.url,
    databaseUrl: inject('databaseUrl'),
    token,
    async query(query, variables, options = {}) {
      const bearer = options.token ?? (await token(options.tenant));
      const res = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GraphQLResponse<any>['body'];
      recordResponse(inject('secretScanDir'), body);
      return { status: res.status, body, headers: res.headers };
    },
    async stop() {
      await stack.stop();
      await databases.destroy();
      await db.destroy();
    },
  };
}
