import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { Faults } from '../shared/faults.js';
import { TokenAuthority } from '../shared/oauth.js';
import { controlRoutes, listen } from '../shared/server.js';
import type { World } from '../shared/world.js';
import { accounts, API_VERSION, newRecord, opportunities, sfDateTime, type SObject, type SObjectType } from './records.js';
import { matches, parseSoql, SoqlError, sortRecords } from './soql.js';

const DATA = `/services/data/${API_VERSION}`;
const DATE_TIME_FIELDS = new Set(['CreatedDate', 'LastModifiedDate', 'SystemModstamp']);
const DELETE_LOG_MS = 15 * 86_400_000;

export interface SalesforceSimulatorOptions {
  port?: number;
  /** Records per query batch before `nextRecordsUrl` (Salesforce: 2,000, or `Sforce-Query-Options: batchSize=`). */
  batchSize?: number;
  /** The org's daily API allocation. */
  apiLimit?: number;
}

export interface SalesforceSimulator {
  vendor: 'salesforce';
  url: string;
  faults: Faults;
  authority: TokenAuthority;
  credentials: Record<string, string>;
  config: Record<string, unknown>;
  /** The org's API usage today, as `Sforce-Limit-Info` reports it; past `max` answers REQUEST_LIMIT_EXCEEDED. */
  apiUsage: { used: number; max: number };
  stats: { unauthorized: number; limitExceeded: number; queries: string[] };
  records(type: SObjectType): SObject[];
  record(type: SObjectType, id: string): SObject;
  /** Changes fields as a user would: SystemModstamp moves to `at` (now by default). */
  update(type: SObjectType, id: string, fields: Record<string, unknown>, at?: Date): SObject;
  /** Deletes a record; only the delete log (`/sobjects/{type}/deleted/`) tells. */
  remove(type: SObjectType, id: string, at?: Date): void;
  add(type: SObjectType, id: string, fields: Record<string, unknown>, at?: Date): SObject;
  close(): Promise<void>;
}

function sfError(res: Response, status: number, errorCode: string, message: string) {
  res.status(status).json([{ message, errorCode }]);
}

/**
 * Salesforce's REST API for Accounts and Opportunities: the OAuth token endpoint (refresh-token
 * grant, `instance_url` in the answer, no expiry given), SOQL queries with batches behind
 * `nextRecordsUrl`, the delete log, `Sforce-Limit-Info` and the org's daily allocation, and
 * Salesforce's error arrays `[{ message, errorCode }]`.
 */
export async function startSalesforceSimulator(world: World, options: SalesforceSimulatorOptions = {}): Promise<SalesforceSimulator> {
  const faults = new Faults();
  const seed = createHash('sha256').update(`salesforce:${world.tenant}`).digest('hex');
  const client = { clientId: `3MVG9${seed.slice(0, 40)}`, clientSecret: seed.slice(40, 64) };
  let url = '';
  const authority = new TokenAuthority(client, {
    ttlSeconds: 7_200,
    // Salesforce's token answer names the instance and gives no expiry: a session lasts until it is refused.
    extra: () => ({ instance_url: url, id: `https://login.salesforce.com/id/00D5g000000${seed.slice(0, 7)}/0055g00000${seed.slice(7, 15)}`, issued_at: String(Date.now()), scope: 'api refresh_token', signature: seed.slice(0, 44), expires_in: undefined }),
  });
  const grant = authority.grant();
  // The grant's refresh token under a name the world decides: credentials stored before a restart still refresh.
  const refreshToken = `rt_${createHash('sha256').update(`refresh:${seed}`).digest('base64url').slice(0, 32)}`;
  const store = new Map<SObjectType, Map<string, SObject>>([
    ['Account', new Map(accounts(world).map((r) => [r.Id, r]))],
    ['Opportunity', new Map(opportunities(world).map((r) => [r.Id, r]))],
  ]);
  const fieldsOf = new Map<SObjectType, Set<string>>([
    ['Account', new Set(['Id', 'IsDeleted', 'Name', 'Website', 'Industry', 'NumberOfEmployees', 'OwnerId', 'Owner.Name', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'])],
    ['Opportunity', new Set(['Id', 'IsDeleted', 'AccountId', 'Name', 'StageName', 'Amount', 'CloseDate', 'IsClosed', 'IsWon', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'])],
  ]);
  const deleteLog: { type: SObjectType; id: string; deletedAt: number }[] = [];
  const locators = new Map<string, Record<string, unknown>[]>();
  const apiUsage = { used: 0, max: options.apiLimit ?? 100_000 };
  const stats = { unauthorized: 0, limitExceeded: 0, queries: [] as string[] };

  const read = (record: Record<string, unknown>, field: string): unknown => {
    if (field.includes('.')) return field.split('.').reduce<any>((v, k) => (v == null ? null : v[k]), record);
    return DATE_TIME_FIELDS.has(field) && typeof record[field] === 'string' ? Date.parse(record[field] as string) : record[field];
  };

  const project = (record: SObject, fields: string[]): Record<string, unknown> => {
    const out: Record<string, any> = { attributes: record.attributes };
    for (const field of fields) {
      const [head, sub] = field.split('.');
      if (sub) out[head] = record[head] ? { ...(out[head] ?? { attributes: record[head].attributes }), [sub]: record[head][sub] } : null;
      else out[field] = record[field] ?? null;
    }
    if (faults.isMalformed(record.Id)) {
      if (record.attributes.type === 'Account') out.NumberOfEmployees = 'lots';
      else out.Amount = 'n/a';
    }
    if (faults.plan.unknownFields) out.Customer_Tier__c = 'Platinum';
    return out;
  };

  const app = express();
  controlRoutes(app, faults);
  app.post('/services/oauth2/token', express.urlencoded({ extended: false }), (req, res) => {
    if (req.body?.refresh_token === refreshToken) req.body.refresh_token = grant.refreshToken;
    authority.handle(req, res);
  });
  app.post('/services/oauth2/revoke', express.urlencoded({ extended: false }), (_req, res) => {
    authority.revokeAll();
    res.status(200).end();
  });

  app.use('/services/data', (_req, res, next) => {
    res.set('sforce-limit-info', `api-usage=${apiUsage.used}/${apiUsage.max}`);
    next();
  });
  app.use('/services/data', faults.middleware({
    // Salesforce throttles with 403 REQUEST_LIMIT_EXCEEDED (too many long-running requests), not 429.
    rateLimited: (res, retryAfter) => {
      res.set('retry-after', String(retryAfter));
      sfError(res, 403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
    },
    serverError: (res, status) => sfError(res, status, status === 503 ? 'SERVER_UNAVAILABLE' : 'UNKNOWN_EXCEPTION',
      status === 503 ? 'The server is temporarily unable to service your request. Please try again later.' : 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)'),
  }));
  app.use('/services/data', (req, res, next) => {
    if (authority.check(req) !== 'ok') {
      stats.unauthorized++;
      return sfError(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    }
    if (apiUsage.used >= apiUsage.max) {
      stats.limitExceeded++;
      return sfError(res, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    apiUsage.used++;
    res.set('sforce-limit-info', `api-usage=${apiUsage.used}/${apiUsage.max}`);
    next();
  });

  function batch(req: Request, res: Response, results: Record<string, unknown>[], locator: string | null, offset: number) {
    const header = /batchSize=(\d+)/.exec(String(req.headers['sforce-query-options'] ?? ''));
    const size = header ? Math.max(200, Math.min(2_000, Number(header[1]))) : options.batchSize ?? 2_000;
    const records = results.slice(offset, offset + size);
    const done = offset + size >= results.length;
    let key = locator;
    if (!done && !key) locators.set((key = `01g5g00000${createHash('sha1').update(`${locators.size}`).digest('hex').slice(0, 8)}`), results);
    res.json({ totalSize: results.length, done, records, ...(done ? {} : { nextRecordsUrl: `${DATA}/query/${key}-${offset + size}` }) });
  }

  app.get(`${DATA}/query`, (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    if (!q) return sfError(res, 400, 'MALFORMED_QUERY', 'The query parameter q is required');
    stats.queries.push(q);
    try {
      const query = parseSoql(q);
      const type = query.object as SObjectType;
      const fields = fieldsOf.get(type);
      if (!fields) return sfError(res, 400, 'INVALID_TYPE', `sObject type '${query.object}' is not supported.`);
      const unknown = query.fields.find((f) => !fields.has(f));
      if (unknown) return sfError(res, 400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${type}'.`);
      let rows = [...store.get(type)!.values()].filter((r) => !query.where || matches(query.where, r, read));
      rows = sortRecords(rows, query.orderBy, read);
      if (query.limit !== null) rows = rows.slice(0, query.limit);
      batch(req, res, rows.map((r) => project(r, query.fields)), null, 0);
    } catch (error) {
      if (error instanceof SoqlError) return sfError(res, 400, error.code, error.message);
      throw error;
    }
  });
  app.get(`${DATA}/query/:locator`, (req, res) => {
    const match = /^(.+)-(\d+)$/.exec(String(req.params.locator));
    const results = match ? locators.get(match[1]) : undefined;
    if (!match || !results) return sfError(res, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    batch(req, res, results, match[1], Number(match[2]));
  });
  app.get(`${DATA}/sobjects/:type/deleted`, (req, res) => {
    const type = String(req.params.type) as SObjectType;
    if (!store.has(type)) return sfError(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
    const [start, end] = [req.query.start, req.query.end].map((v) => (typeof v === 'string' ? Date.parse(v) : NaN));
    if (Number.isNaN(start) || Number.isNaN(end)) return sfError(res, 400, 'MISSING_ARGUMENT', 'start and end are required dateTimes');
    // The delete log is read to the minute: seconds are ignored.
    const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
    const [from, to] = [minute(start), minute(end)];
    const oldest = Date.now() - DELETE_LOG_MS;
    if (from < oldest - 86_400_000) return sfError(res, 400, 'INVALID_REPLICATION_DATE', 'startDate must be within the last 15 days');
    const deletedRecords = deleteLog.filter((d) => d.type === type && d.deletedAt >= from && d.deletedAt < to)
      .map((d) => ({ id: d.id, deletedDate: sfDateTime(d.deletedAt) }));
    res.json({ deletedRecords, earliestDateAvailable: sfDateTime(Math.max(oldest, deleteLog.find((d) => d.type === type)?.deletedAt ?? oldest)), latestDateCovered: sfDateTime(to) });
  });
  app.use('/services/data', (_req, res) => sfError(res, 404, 'NOT_FOUND', 'The requested resource does not exist'));

  const running = await listen(app, options.port ?? 0);
  url = running.url;
  const get = (type: SObjectType, id: string) => {
    const record = store.get(type)!.get(id);
    if (!record) throw new Error(`no ${type} ${id}`);
    return record;
  };
  return {
    ...running, vendor: 'salesforce', faults, authority, apiUsage, stats,
    credentials: { ...client, refreshToken, accessToken: grant.accessToken, instanceUrl: url, tokenUrl: `${url}/services/oauth2/token`, revokeUrl: `${url}/services/oauth2/revoke` },
    config: { myDomain: world.tenant },
    records: (type) => [...store.get(type)!.values()],
    record: get,
    update(type, id, fields, at = new Date()) {
      const record = get(type, id);
      Object.assign(record, fields, { LastModifiedDate: sfDateTime(at), SystemModstamp: sfDateTime(at) });
      return record;
    },
    remove(type, id, at = new Date()) {
      get(type, id);
      store.get(type)!.delete(id);
      deleteLog.push({ type, id, deletedAt: at.getTime() });
    },
    add(type, id, fields, at = new Date()) {
      const record = newRecord(type, id, fields, at);
      store.get(type)!.set(id, record);
      return record;
    },
  };
}
