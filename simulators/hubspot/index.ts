import { createHash, randomUUID } from 'node:crypto';
import express, { type Response } from 'express';
import { hubspotPortal } from '../../seed/vendor-ids.js';
import { Faults } from '../shared/faults.js';
import { TokenAuthority } from '../shared/oauth.js';
import { controlRoutes, listen } from '../shared/server.js';
import { hubspotV3Signer } from '../shared/webhook-signers.js';
import { WebhookSender, webhookControlRoutes } from '../shared/webhooks.js';
import type { World } from '../shared/world.js';
import { companies, deals, owners, render, type ObjectType, type StoredObject } from './records.js';
import { search, SearchError, type SearchRequest } from './search.js';

export interface HubSpotSimulatorOptions {
  port?: number;
  /** Results one search query may page through (HubSpot: 10,000); an `after` at or past it answers 400. */
  searchCap?: number;
  /** Seconds an access token lives (HubSpot: 1,800). */
  tokenTtlSeconds?: number;
}

export interface HubSpotSimulator {
  vendor: 'hubspot';
  url: string;
  faults: Faults;
  authority: TokenAuthority;
  credentials: Record<string, string | number>;
  config: Record<string, unknown>;
  searchCap: number;
  /** `overCap`: searches that matched more than the cap (a client paging through them would meet a 400). */
  stats: { unauthorized: number; searches: number; capRefusals: number; overCap: number };
  /** Webhook batches of creations, property changes and deletions, once a target is registered. */
  webhooks: WebhookSender;
  objects(type: ObjectType): StoredObject[];
  object(type: ObjectType, id: string): StoredObject;
  /** Sets properties as a user would: hs_lastmodifieddate moves to `at` (now by default). */
  update(type: ObjectType, id: string, properties: Record<string, string | null>, at?: Date): StoredObject;
  /** Archives (deletes) a record: it leaves the listing and search. */
  remove(type: ObjectType, id: string): void;
  add(type: ObjectType, object: { id: string; properties: Record<string, string | null>; companyId?: string }, at?: Date): StoredObject;
  close(): Promise<void>;
}

const TYPES = new Set<ObjectType>(['companies', 'deals']);

function hubspotError(res: Response, status: number, category: string, message: string, extra: Record<string, unknown> = {}) {
  res.status(status).json({ status: 'error', message, correlationId: randomUUID(), category, ...extra });
}

/**
 * HubSpot's CRM v3 API for companies and deals: the OAuth token endpoint (30-minute access
 * tokens, refresh tokens that do not expire), listings with `after` tokens and associations,
 * the search API with its 10,000-result cap and 200-per-page limit, the owners API, v4
 * association batch reads, `X-HubSpot-RateLimit-*` headers and HubSpot's error bodies.
 */
export async function startHubSpotSimulator(world: World, options: HubSpotSimulatorOptions = {}): Promise<HubSpotSimulator> {
  const faults = new Faults();
  const seed = createHash('sha256').update(`hubspot:${world.tenant}`).digest('hex');
  const client = { clientId: `${seed.slice(0, 8)}-${seed.slice(8, 12)}-${seed.slice(12, 16)}-${seed.slice(16, 20)}-${seed.slice(20, 32)}`, clientSecret: `${seed.slice(32, 40)}-${seed.slice(40, 44)}-${seed.slice(44, 48)}-${seed.slice(48, 52)}-${seed.slice(52, 64)}` };
  const authority = new TokenAuthority(client, { ttlSeconds: options.tokenTtlSeconds ?? 1_800 });
  const grant = authority.grant();
  // The grant's refresh token under a name the world decides: credentials stored before a restart still refresh.
  const refreshToken = `rt_${createHash('sha256').update(`refresh:${seed}`).digest('base64url').slice(0, 32)}`;
  const store = new Map<ObjectType, Map<string, StoredObject>>([
    ['companies', new Map(companies(world).map((o) => [o.id, o]))],
    ['deals', new Map(deals(world).map((o) => [o.id, o]))],
  ]);
  const team = owners();
  const stats = { unauthorized: 0, searches: 0, capRefusals: 0, overCap: 0 };
  const recent: number[] = [];
  let searchCap = options.searchCap ?? 10_000;

  const sorted = (type: ObjectType) => [...store.get(type)!.values()].sort((a, b) => Number(a.id) - Number(b.id));
  const shown = (type: ObjectType, object: StoredObject, properties: string[], withCompanies: boolean) => {
    const out = render(object, properties, withCompanies) as Record<string, any>;
    if (faults.isMalformed(object.id)) out.properties[type === 'deals' ? 'amount' : 'numberofemployees'] = 'n/a';
    if (faults.plan.unknownFields) out.propertiesWithHistory = { hs_analytics_source: [{ value: 'ORGANIC_SEARCH', timestamp: out.updatedAt }] };
    return out;
  };
  const rateHeaders = (res: Response) => {
    const now = Date.now();
    while (recent.length && recent[0] <= now - 10_000) recent.shift();
    res.set({
      'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-remaining': String(Math.max(0, 100 - recent.length)), 'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '500000', 'x-hubspot-ratelimit-daily-remaining': String(500_000 - faults.stats.requests),
    });
  };

  const app = express();
  controlRoutes(app, faults);
  const webhooks = new WebhookSender(hubspotV3Signer);
  let eventCount = 0;
  // What HubSpot posts: a batch of events, each with its own eventId; here one change, one batch.
  const notify = (type: ObjectType, change: 'creation' | 'propertyChange' | 'deletion', object: StoredObject, property?: [string, string | null]) => {
    const portalId = hubspotPortal(world.tenant);
    webhooks.emit([{
      eventId: Number.parseInt(seed.slice(0, 6), 16) * 1_000 + ++eventCount, subscriptionId: 2_114_021, portalId, appId: 4_018_712,
      occurredAt: Date.parse(object.updatedAt), subscriptionType: `${type === 'deals' ? 'deal' : 'company'}.${change}`, attemptNumber: 0,
      objectId: Number(object.id), changeSource: 'CRM_UI', ...(property ? { propertyName: property[0], propertyValue: property[1] } : {}),
    }]);
  };
  webhookControlRoutes(app, webhooks);
  app.post('/oauth/v1/token', express.urlencoded({ extended: false }), (req, res) => {
    if (req.body?.refresh_token === refreshToken) req.body.refresh_token = grant.refreshToken;
    authority.handle(req, res);
  });
  app.use('/crm', (_req, res, next) => {
    recent.push(Date.now());
    rateHeaders(res);
    next();
  });
  app.use('/crm', faults.middleware({
    rateLimited: (res, retryAfter) => {
      res.set({ 'retry-after': String(retryAfter), 'x-hubspot-ratelimit-remaining': '0' });
      hubspotError(res, 429, 'RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', requestId: randomUUID() });
    },
    serverError: (res, status) => hubspotError(res, status, 'INTERNAL_ERROR', 'internal error'),
  }));
  app.use('/crm', (req, res, next) => {
    const state = authority.check(req);
    if (state === 'ok') return next();
    stats.unauthorized++;
    if (state === 'expired') return hubspotError(res, 401, 'EXPIRED_AUTHENTICATION', 'The OAuth token used to make this call expired.');
    hubspotError(res, 401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication.');
  });
  app.use('/crm', express.json());

  app.get('/crm/v3/owners', (req, res) => {
    const limit = Math.min(500, Number(req.query.limit) || 100);
    const start = Number(req.query.after) || 0;
    const page = team.slice(start, start + limit);
    res.json({ results: page, ...(start + limit < team.length ? { paging: { next: { after: String(start + limit) } } } : {}) });
  });

  app.get('/crm/v3/objects/:type', (req, res) => {
    const type = String(req.params.type) as ObjectType;
    if (!TYPES.has(type)) return hubspotError(res, 400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
    const limit = req.query.limit === undefined ? 10 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return hubspotError(res, 400, 'VALIDATION_ERROR', 'limit must be between 1 and 100');
    const archived = req.query.archived === 'true';
    const properties = typeof req.query.properties === 'string' && req.query.properties ? req.query.properties.split(',') : ['name'];
    const withCompanies = String(req.query.associations ?? '').split(',').includes('companies');
    const after = typeof req.query.after === 'string' ? req.query.after : null;
    const all = sorted(type).filter((o) => o.archived === archived && (after === null || Number(o.id) > Number(after)));
    const page = all.slice(0, limit);
    const next = all.length > limit ? page.at(-1)!.id : null;
    res.json({
      results: page.map((o) => shown(type, o, properties, withCompanies)),
      ...(next ? { paging: { next: { after: next, link: `${req.protocol}://${req.get('host')}/crm/v3/objects/${type}?after=${next}` } } } : {}),
    });
  });

  app.get('/crm/v3/objects/:type/:id', (req, res) => {
    const type = String(req.params.type) as ObjectType;
    if (!TYPES.has(type)) return hubspotError(res, 400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
    const object = store.get(type)!.get(String(req.params.id));
    if (!object || object.archived) return res.status(404).json({ status: 'error', message: 'Object not found.  objectId are usually numeric.', correlationId: randomUUID(), category: 'OBJECT_NOT_FOUND' });
    const properties = typeof req.query.properties === 'string' && req.query.properties ? req.query.properties.split(',') : ['name'];
    res.json(shown(type, object, properties, String(req.query.associations ?? '').split(',').includes('companies')));
  });
  app.post('/crm/v3/objects/:type/search', (req, res) => {
    const type = String(req.params.type) as ObjectType;
    if (!TYPES.has(type)) return hubspotError(res, 400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
    const body = (req.body ?? {}) as SearchRequest;
    const limit = body.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) return hubspotError(res, 400, 'VALIDATION_ERROR', 'limit must be between 1 and 200');
    const offset = Number(body.after ?? 0);
    stats.searches++;
    if (offset >= searchCap) {
      stats.capRefusals++;
      return hubspotError(res, 400, 'VALIDATION_ERROR', `There was a problem with the request: the search cannot page past ${searchCap} results.`);
    }
    try {
      const found = search(sorted(type), body);
      if (found.length > searchCap) stats.overCap++;
      const page = found.slice(offset, offset + limit);
      res.json({
        total: found.length,
        results: page.map((o) => shown(type, o, body.properties ?? [], false)),
        ...(offset + limit < found.length ? { paging: { next: { after: String(offset + limit) } } } : {}),
      });
    } catch (error) {
      if (error instanceof SearchError) return hubspotError(res, 400, 'VALIDATION_ERROR', error.message);
      throw error;
    }
  });

  app.post('/crm/v4/associations/deals/companies/batch/read', (req, res) => {
    const inputs = ((req.body ?? {}) as { inputs?: { id: string }[] }).inputs ?? [];
    if (inputs.length > 1_000) return hubspotError(res, 400, 'VALIDATION_ERROR', 'at most 1000 inputs');
    const startedAt = new Date().toISOString();
    const results = inputs.map(({ id }) => store.get('deals')!.get(String(id))).filter((d): d is StoredObject => !!d && !d.archived && !!d.companyId).map((d) => ({
      from: { id: d.id },
      to: [{ toObjectId: Number(d.companyId), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 5, label: 'Primary' }, { category: 'HUBSPOT_DEFINED', typeId: 341, label: null }] }],
    }));
    res.json({ status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
  });
  app.use('/crm', (_req, res) => hubspotError(res, 404, 'OBJECT_NOT_FOUND', 'resource not found'));

  const running = await listen(app, options.port ?? 0);
  const get = (type: ObjectType, id: string) => {
    const object = store.get(type)!.get(id);
    if (!object) throw new Error(`no ${type} ${id}`);
    return object;
  };
  const stamp = (object: StoredObject, at: Date) => {
    object.updatedAt = at.toISOString();
    object.properties.hs_lastmodifieddate = object.updatedAt;
  };
  return {
    ...running, vendor: 'hubspot', faults, authority, stats, webhooks,
    get searchCap() { return searchCap; },
    set searchCap(value: number) { searchCap = value; },
    credentials: { ...client, refreshToken, accessToken: grant.accessToken, expiresAt: grant.expiresAt },
    config: { portalId: hubspotPortal(world.tenant) },
    objects: (type) => [...store.get(type)!.values()],
    object: get,
    update(type, id, properties, at = new Date()) {
      const object = get(type, id);
      Object.assign(object.properties, properties);
      stamp(object, at);
      for (const entry of Object.entries(properties)) notify(type, 'propertyChange', object, entry);
      return object;
    },
    remove(type, id) {
      const object = get(type, id);
      object.archived = true;
      object.archivedAt = new Date().toISOString();
      stamp(object, new Date());
      notify(type, 'deletion', object);
    },
    add(type, { id, properties, companyId }, at = new Date()) {
      const object: StoredObject = {
        id, companyId, archived: false, createdAt: at.toISOString(), updatedAt: at.toISOString(),
        properties: { ...properties, createdate: at.toISOString(), hs_lastmodifieddate: at.toISOString(), hs_object_id: id },
      };
      store.get(type)!.set(id, object);
      notify(type, 'creation', object);
      return object;
    },
  };
}
