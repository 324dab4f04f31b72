import { createHash } from 'node:crypto';
import express, { type Response } from 'express';
import { gainsightId } from '../../seed/vendor-ids.js';
import { Faults } from '../shared/faults.js';
import { controlRoutes, listen } from '../shared/server.js';
import type { World } from '../shared/world.js';
import { QueryError, runQuery, type QueryBody } from './query.js';
import { COMPANY, companies, DELETE_LOG, FIELDS, snapshot, SNAPSHOTS, SURVEY_RESPONSES, surveyResponses, type GainsightRecord } from './records.js';

export { COMPANY, SNAPSHOTS, SURVEY_RESPONSES } from './records.js';

type DataObject = typeof COMPANY | typeof SNAPSHOTS | typeof SURVEY_RESPONSES;

export interface GainsightSimulator {
  url: string;
  vendor: 'gainsight';
  faults: Faults;
  credentials: { key: string };
  config: Record<string, unknown>;
  /** Records by object ('Company', the health snapshot object, the survey responses), by GSID. */
  objects: Map<DataObject, Map<string, GainsightRecord>>;
  /** A scoring period closes: the company's Current Score becomes `score`, a new snapshot records it. */
  closePeriod(companyGsid: string, score: number): GainsightRecord;
  /** Edits a record; its ModifiedDate moves to now (or to `modifiedAt`). */
  update(object: DataObject, gsid: string, changes: Record<string, unknown>, modifiedAt?: number): GainsightRecord;
  /** Deletes a record and logs it in `record_delete_log`, unless `logged` is false (a deletion older than the log keeps). */
  remove(object: DataObject, gsid: string, options?: { logged?: boolean }): void;
  /** Creates a company (a GSID is given to it). */
  addCompany(fields: Record<string, unknown>): GainsightRecord;
  /** An admin regenerated the access key: the connection's key answers 401. */
  rollKey(): void;
  close(): Promise<void>;
}

/**
 * Gainsight CS's data API over one world: `POST /v1/data/objects/query/{object}` on Company,
 * the health snapshot object, the survey responses and `record_delete_log`, with select / where (conditions, aliases,
 * AND/OR expression) / orderBy / limit (at most 5000) / offset, dates as epoch milliseconds,
 * replies `{ result, errorCode, errorDesc, requestId, data: { records }, message }`, "No data
 * found for given criteria" (400, GSOBJ_1011) for an empty result and 401 GS_APIG_2401 for a
 * wrong `accesskey`.
 */
export async function startGainsightSimulator(world: World, options: { port?: number } = {}): Promise<GainsightSimulator> {
  const faults = new Faults();
  let key = createHash('sha256').update(`gainsight:${world.tenant}`).digest('hex').slice(0, 32);
  const snapshotRecords = world.rows('customer_success.health_scores').filter((r) => r.vendor === 'gainsight').map(snapshot);
  const objects = new Map<DataObject, Map<string, GainsightRecord>>([
    [COMPANY, new Map(companies(world, snapshotRecords).map((r) => [r.Gsid, r]))],
    [SNAPSHOTS, new Map(snapshotRecords.map((r) => [r.Gsid, r]))],
    [SURVEY_RESPONSES, new Map(surveyResponses(world).map((r) => [r.Gsid, r]))],
  ]);
  const deleteLog: Record<string, unknown>[] = [];
  let created = 0;
  let requestCount = 0;
  const requestId = () => createHash('sha1').update(`${world.tenant}:${++requestCount}`).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5');

  const reply = (res: Response, status: number, body: Record<string, unknown>) =>
    res.status(status).json({ result: false, errorCode: null, errorDesc: null, requestId: requestId(), data: null, message: null, ...body });
  const failure = (res: Response, status: number, errorCode: string, errorDesc: string) => reply(res, status, { errorCode, errorDesc });

  const render = (object: DataObject, record: GainsightRecord): GainsightRecord => {
    if (!faults.isMalformed(record.Gsid)) return record;
    if (object === SNAPSHOTS) return { ...record, CurrentScore: 'n/a' };
    if (object === SURVEY_RESPONSES) return { ...record, Score: 'eleven' };
    return { ...record, Name: { text: record.Name } };
  };

  const app = express();
  controlRoutes(app, faults);
  app.use('/v1', faults.middleware({
    rateLimited: (res, retryAfter) => {
      res.set('retry-after', String(retryAfter));
      failure(res, 429, 'GS_APIG_2429', 'API rate limit exceeded: 100 calls a minute');
    },
    serverError: (res, status) => failure(res, status, 'GS_5000', 'Internal server error. Please retry after some time.'),
  }));
  app.use('/v1', (req, res, next) => {
    if (req.headers.accesskey !== key) return failure(res, 401, 'GS_APIG_2401', 'Unauthorized access: the access key is missing or invalid');
    next();
  });
  app.post('/v1/data/objects/query/:object', express.json(), (req, res) => {
    const name = String(req.params.object);
    const rows = name === DELETE_LOG ? deleteLog
      : objects.has(name as DataObject) ? [...objects.get(name as DataObject)!.values()].map((r) => render(name as DataObject, r)) : null;
    if (!rows) return failure(res, 400, 'GSOBJ_1002', `Object not found: ${name}`);
    try {
      const records = runQuery(rows, FIELDS[name], req.body as QueryBody);
      if (!records.length) return failure(res, 400, 'GSOBJ_1011', 'No data found for given criteria');
      const extra = faults.plan.unknownFields && name !== DELETE_LOG ? { ChurnPropensity__gc: 0.12, Csm__gr: { Name: 'Robin' } } : {};
      reply(res, 200, { result: true, data: { records: records.map((r) => ({ ...r, ...extra })) } });
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      failure(res, error.status, error.code, error.message);
    }
  });

  const running = await listen(app, options.port ?? 0);
  const now = () => Date.now();
  const newGsid = (prefix: '1P02' | '1S01') => gainsightId(prefix, world.tenant, `simulated-${++created}`);
  const get = (object: DataObject, gsid: string) => {
    const record = objects.get(object)!.get(gsid);
    if (!record) throw new Error(`no ${object} ${gsid}`);
    return record;
  };

  return {
    ...running, vendor: 'gainsight', faults, objects, credentials: { key },
    config: { site: world.tenant },
    closePeriod(companyGsid, score) {
      const company = get(COMPANY, companyGsid);
      const at = now();
      const record: GainsightRecord = {
        Gsid: newGsid('1S01'), CompanyId: companyGsid, CurrentScore: score, PreviousScore: company.CurrentScore ?? null,
        SnapshotDate: at, CreatedDate: at, ModifiedDate: at,
      };
      objects.get(SNAPSHOTS)!.set(record.Gsid, record);
      Object.assign(company, { PreviousScore: company.CurrentScore ?? null, CurrentScore: score, ModifiedDate: at });
      return record;
    },
    update(object, gsid, changes, modifiedAt = now()) {
      return Object.assign(get(object, gsid), changes, { ModifiedDate: modifiedAt });
    },
    remove(object, gsid, { logged = true } = {}) {
      get(object, gsid);
      objects.get(object)!.delete(gsid);
      if (logged) deleteLog.push({ RecordId: gsid, ObjectName: object, DeletedOn: new Date().toISOString() });
    },
    addCompany(fields) {
      const at = now();
      const record: GainsightRecord = {
        ...Object.fromEntries(FIELDS[COMPANY].map((f) => [f, null])), ...fields, Gsid: newGsid('1P02'), CreatedDate: at, ModifiedDate: at,
      };
      objects.get(COMPANY)!.set(record.Gsid, record);
      return record;
    },
    rollKey() {
      key = createHash('sha256').update(`${key}:rolled`).digest('hex').slice(0, 32);
    },
  };
}
