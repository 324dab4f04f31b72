import { createHash } from 'node:crypto';
import express, { type Response } from 'express';
import { AMPLITUDE_PROJECT_ID } from '../../seed/analytics.js';
import { Faults } from '../shared/faults.js';
import { controlRoutes, listen } from '../shared/server.js';
import type { World, WorldRow } from '../shared/world.js';
import { DeletionJobs, isoDay, type DeletionJob } from './deletions.js';
import { EventStore, HOUR_MS } from './event-store.js';
import { exportHours, type ExportLimits } from './export.js';
import { fnv1a } from './render.js';

/** Amplitude allows 5 concurrent requests across its REST APIs. */
const MAX_CONCURRENT = 5;
const MAX_EXPORT_HOURS = 365 * 24;
const MAX_DELETION_LIST_DAYS = 184;
const FEATURE_PROPERTY = 'feature_key';
const DAY_MS = 24 * HOUR_MS;

export interface AmplitudeSimulatorOptions {
  port?: number;
  eventsPerFile?: number;
  maxEventsPerExport?: number;
}

/** An event a test sends: by Amplitude user id and feature key; now unless said otherwise. */
export interface TrackedEvent {
  userId: string;
  eventType: string;
  featureKey?: string | null;
  occurredAt?: Date;
  /** When Amplitude received it: its export hour. Defaults to the later of now and `occurredAt`. */
  uploadedAt?: Date;
  insertId?: string;
}

export interface AmplitudeSimulator {
  vendor: 'amplitude';
  url: string;
  faults: Faults;
  /** The project's API key and secret key, as Basic auth. */
  credentials: { username: string; password: string };
  config: { org: string };
  store: EventStore;
  deletions: DeletionJobs;
  limits: ExportLimits;
  /** Export requests answered with an archive, a 404 or a 400. */
  exports: { archives: number; empty: number; tooLarge: number };
  /** The vendor's clock: an upload hour is exported about three hours after it starts. */
  now(): number;
  advance(ms: number): void;
  /** Events in the generator's shape (analytics.usage_events rows of this world). */
  addEvents(rows: Iterable<WorldRow>): number;
  track(event: TrackedEvent): string;
  /** The user's properties or groups change: their events from now on carry the new ones. */
  identify(userId: string, changes: { properties?: Record<string, unknown>; groups?: Record<string, unknown> }): void;
  /** A deletion request (User Privacy API): scheduled in a staging job, nothing deleted yet. */
  requestDeletion(userId: string): DeletionJob;
  /** Runs every job not done: their users' events are purged. Returns the events removed. */
  runDeletionJobs(): number;
  /** The project's secret key is regenerated: the old one stops working. */
  rotateSecret(): void;
  close(): Promise<void>;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** When Amplitude received a generated event: seconds later mostly, minutes for some, hours for a device that was offline. */
function uploadDelayMs(insertId: string): number {
  const h = fnv1a(insertId);
  const spread = (h >>> 10) / 4_194_304;
  const r = h % 1_000;
  if (r < 4) return HOUR_MS + Math.floor(spread * 35 * HOUR_MS);
  if (r < 150) return 60_000 + Math.floor(spread * 29 * 60_000);
  return 500 + Math.floor(spread * 30_000);
}

function amplitudeError(res: Response, status: number, message: string): void {
  res.status(status).json({ error: { http_code: status, message } });
}

function parseHour(value: unknown): number {
  const m = typeof value === 'string' ? /^(\d{4})(\d{2})(\d{2})T(\d{2})$/.exec(value) : null;
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) : NaN;
}

function parseDay(value: unknown): number {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(value) : NaN;
}

/**
 * Amplitude's Export API and User Privacy API for one project of the world: Basic auth (API key :
 * secret key), `GET /api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH` answering a zip of gzipped
 * JSON-lines files per upload hour (404 for an empty range, 400 past the size limit or 365 days),
 * upload hours exportable only about two hours after they end, at most 5 concurrent requests (429),
 * and `GET|POST /api/2/deletions/users`. Events are kept per upload hour in compact form.
 */
export async function startAmplitudeSimulator(world: World, options: AmplitudeSimulatorOptions = {}): Promise<AmplitudeSimulator> {
  const faults = new Faults();
  const apiKey = hash(`amplitude-key:${world.tenant}`).slice(0, 32);
  let secretKey = hash(`amplitude-secret:${world.tenant}`).slice(0, 32);
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const store = new EventStore();
  const deletions = new DeletionJobs();
  const limits: ExportLimits = { eventsPerFile: options.eventsPerFile ?? 100_000, maxEventsPerExport: options.maxEventsPerExport ?? 2_000_000 };
  const exports = { archives: 0, empty: 0, tooLarge: 0 };

  const userOfWorldId = new Map<string, string>();
  for (const row of world.rows('analytics.end_users')) {
    const raw = row.raw as { user_id: string; amplitude_id: number; user_properties?: Record<string, unknown>; groups?: Record<string, unknown> };
    userOfWorldId.set(row.id, raw.user_id);
    store.setUser({
      userId: raw.user_id, amplitudeId: raw.amplitude_id, deviceId: hash(`device:${raw.user_id}`).slice(0, 36),
      createdAt: (row.created_at as Date).getTime(), properties: raw.user_properties ?? {}, groups: raw.groups ?? {},
    });
  }
  const featureKeys = new Map(world.rows('product.features').map((f) => [f.id as string, f.key as string]));

  function addEvents(rows: Iterable<WorldRow>): number {
    let n = 0;
    for (const row of rows) {
      const occurredAt = (row.occurred_at as Date).getTime();
      store.append({
        userId: userOfWorldId.get(row.end_user_id)!, eventType: row.event_type, featureKey: row.feature_id ? featureKeys.get(row.feature_id) ?? null : null,
        insertId: row.insert_id, occurredAt, uploadedAt: occurredAt + uploadDelayMs(row.insert_id),
      });
      n++;
    }
    return n;
  }
  addEvents(world.rows('analytics.usage_events'));

  let tracked = 0;
  function track(event: TrackedEvent): string {
    const occurredAt = event.occurredAt?.getTime() ?? now();
    const insertId = event.insertId ?? `sim-${world.tenant}-${++tracked}`;
    store.append({
      userId: event.userId, eventType: event.eventType, featureKey: event.featureKey ?? null, insertId, occurredAt,
      uploadedAt: event.uploadedAt?.getTime() ?? Math.max(occurredAt, now()),
    });
    return insertId;
  }

  function identify(userId: string, changes: { properties?: Record<string, unknown>; groups?: Record<string, unknown> }): void {
    const user = store.user(userId);
    if (!user) throw new Error(`no Amplitude user ${userId}`);
    store.setUser({ ...user, properties: { ...user.properties, ...changes.properties }, groups: changes.groups ?? user.groups });
  }

  function runDeletionJobs(): number {
    let removed = 0;
    for (const job of deletions.jobs) {
      if (job.status === 'done') continue;
      job.status = 'done';
      for (const { amplitude_id } of job.amplitude_ids) {
        const user = store.states.find((s) => s.amplitudeId === amplitude_id);
        if (user) removed += store.removeUser(user.userId);
      }
    }
    return removed;
  }

  const app = express();
  controlRoutes(app, faults);
  app.use('/api/2', faults.middleware({
    rateLimited: (res, retryAfter) => {
      res.set('retry-after', String(retryAfter));
      amplitudeError(res, 429, 'Too many concurrent requests. Exceeded the limit of 5 concurrent requests per project.');
    },
    serverError: (res, status) => amplitudeError(res, status, status === 504 ? 'Gateway Timeout' : 'Internal Server Error'),
  }));
  let inFlight = 0;
  app.use('/api/2', (req, res, next) => {
    if (req.headers.authorization !== `Basic ${Buffer.from(`${apiKey}:${secretKey}`).toString('base64')}`) {
      res.set('www-authenticate', 'Basic realm="Amplitude"');
      return amplitudeError(res, 401, 'Invalid API key or secret key.');
    }
    if (inFlight >= MAX_CONCURRENT) {
      res.set('retry-after', '1');
      return amplitudeError(res, 429, 'Too many concurrent requests. Exceeded the limit of 5 concurrent requests per project.');
    }
    inFlight++;
    res.once('close', () => inFlight--);
    next();
  });

  app.get('/api/2/export', (req, res) => {
    const start = parseHour(req.query.start);
    const end = parseHour(req.query.end);
    if (Number.isNaN(start) || Number.isNaN(end)) return amplitudeError(res, 400, 'start and end are required, formatted YYYYMMDDTHH.');
    if (end < start) return amplitudeError(res, 400, 'end must not be before start.');
    if ((end - start) / HOUR_MS + 1 > MAX_EXPORT_HOURS) return amplitudeError(res, 400, 'The maximum time range you can query at once is 365 days.');
    const answer = exportHours(store, start / HOUR_MS, end / HOUR_MS, now(), limits, {
      projectId: AMPLITUDE_PROJECT_ID, featureProperty: FEATURE_PROPERTY,
      malformed: (id) => faults.isMalformed(id), unknownFields: !!faults.plan.unknownFields,
    });
    if (answer.status === 404) {
      exports.empty++;
      return res.status(404).type('text/plain').send(answer.message);
    }
    if (answer.status === 400) {
      exports.tooLarge++;
      return amplitudeError(res, 400, answer.message);
    }
    exports.archives++;
    res.status(200).set({ 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${AMPLITUDE_PROJECT_ID}.zip"` }).send(Buffer.from(answer.zip));
  });

  app.get('/api/2/deletions/users', (req, res) => {
    const from = parseDay(req.query.start_day);
    const to = parseDay(req.query.end_day);
    if (Number.isNaN(from) || Number.isNaN(to)) return amplitudeError(res, 400, 'start_day and end_day are required, formatted YYYY-MM-DD.');
    if (to < from || (to - from) / DAY_MS + 1 > MAX_DELETION_LIST_DAYS) return amplitudeError(res, 400, 'The largest permitted time range is six months.');
    res.json(deletions.between(isoDay(from), isoDay(to)));
  });
  app.post('/api/2/deletions/users', express.json(), express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as { amplitude_ids?: unknown; user_ids?: unknown; requester?: unknown };
    const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
    const ids = [
      ...list(body.amplitude_ids).map(Number).filter((id) => store.states.some((s) => s.amplitudeId === id)),
      ...list(body.user_ids).map((id) => store.user(String(id))?.amplitudeId).filter((id): id is number => id !== undefined),
    ];
    if (!ids.length) return amplitudeError(res, 400, 'No valid amplitude_ids or user_ids.');
    res.json(deletions.request([...new Set(ids)], String(body.requester ?? ''), now()));
  });

  const server = await listen(app, options.port ?? 0);
  return {
    vendor: 'amplitude', url: server.url, faults, store, deletions, limits, exports,
    credentials: { username: apiKey, password: secretKey },
    config: { org: world.tenant },
    now,
    advance(ms) { clockOffset += ms; },
    addEvents, track, identify, runDeletionJobs,
    requestDeletion(userId) {
      const user = store.user(userId);
      if (!user) throw new Error(`no Amplitude user ${userId}`);
      return deletions.request([user.amplitudeId], 'privacy@example.com', now());
    },
    rotateSecret() { secretKey = hash(`amplitude-secret:${world.tenant}:${now()}`).slice(0, 32); },
    close: () => server.close(),
  };
}
