import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { Faults } from '../shared/faults.js';
import { controlRoutes, listen } from '../shared/server.js';
import type { World } from '../shared/world.js';
import { CUSTOM_FIELDS, featuresOf, releasesOf, renderAssignment, renderFeature, renderRelease, uuidOf, type FeatureState, type ReleaseState } from './records.js';

export interface ProductboardSimulatorOptions {
  port?: number;
  /** Requests a second one token may send before 429s (Productboard: 50). */
  requestsPerSecond?: number;
}

export interface ProductboardSimulator {
  vendor: 'productboard';
  url: string;
  faults: Faults;
  credentials: { token: string };
  config: Record<string, unknown>;
  features: Map<string, FeatureState>;
  releases: Map<string, ReleaseState>;
  /** Requests a second one token may send before 429s (Productboard: 50); tests may lower it. */
  limits: { requestsPerSecond: number };
  /** Requests refused for their token, their missing X-Version, or their rate. */
  stats: { unauthorized: number; missingVersion: number; throttled: number };
  /** Changes a feature as a person would: `updatedAt` moves to now. */
  update(id: string, changes: Partial<Omit<FeatureState, 'id' | 'createdAt' | 'updatedAt'>>): FeatureState;
  add(feature: Omit<FeatureState, 'createdAt' | 'updatedAt'>): FeatureState;
  /** Changes a release (its state, its timeframe) as a person would. */
  updateRelease(id: string, changes: Partial<Omit<ReleaseState, 'id'>>): ReleaseState;
  /** Assigns a feature to one more release, or removes it from one. */
  assign(featureId: string, releaseId: string, assigned: boolean): void;
  remove(id: string): void;
  /** The token is deleted in Productboard's settings. */
  revokeToken(): void;
  close(): Promise<void>;
}

function pbError(res: Response, status: number, code: string, title: string, detail?: string) {
  res.status(status).json({ errors: [{ code, title, ...(detail ? { detail } : {}) }] });
}

/** `pageLimit` (1..100, default 100) and `pageOffset` of a listing, or an error already answered. */
function paging(req: Request, res: Response): { limit: number; offset: number } | null {
  const limit = req.query.pageLimit === undefined ? 100 : Number(req.query.pageLimit);
  const offset = req.query.pageOffset === undefined ? 0 : Number(req.query.pageOffset);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    pbError(res, 400, 'validation.query', 'Invalid query parameter', 'pageLimit must be an integer between 1 and 100');
    return null;
  }
  if (!Number.isInteger(offset) || offset < 0) {
    pbError(res, 400, 'validation.query', 'Invalid query parameter', 'pageOffset must be a non-negative integer');
    return null;
  }
  return { limit, offset };
}

/**
 * Productboard's public API v1 for features, releases with their feature assignments and text custom fields: bearer token, `X-Version: 1`
 * required, listings of `{ data, links: { next } }` paged by `pageLimit`/`pageOffset` in `links.next`,
 * 50 requests a second per token (429 with `Retry-After` beyond), errors `{ errors: [{ code, title, detail }] }`.
 */
export async function startProductboardSimulator(world: World, options: ProductboardSimulatorOptions = {}): Promise<ProductboardSimulator> {
  const faults = new Faults();
  let token = `pb_${createHash('sha256').update(`productboard:${world.tenant}`).digest('base64url').slice(0, 40)}`;
  const features = new Map(featuresOf(world).map((f) => [f.id, f]));
  const releases = new Map(releasesOf(world).map((r) => [r.id, r]));
  const fields = CUSTOM_FIELDS.map((name) => ({ id: uuidOf(world.tenant, 'custom-field', name), name }));
  const stats = { unauthorized: 0, missingVersion: 0, throttled: 0 };
  const limits = { requestsPerSecond: options.requestsPerSecond ?? 50 };
  let window = { second: 0, used: 0 };
  let url = '';
  const app = `https://${world.tenant}.productboard.com`;

  const server = express();
  controlRoutes(server, faults);
  server.use(faults.middleware({
    rateLimited: (res, retryAfter) => {
      res.set('retry-after', String(retryAfter));
      pbError(res, 429, 'rateLimit.exceeded', 'Too Many Requests', 'You have exceeded the rate limit of 50 requests per second.');
    },
    serverError: (res, status) => pbError(res, status, status === 503 ? 'system.timeout' : 'system.internalServerError', status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
  }));
  server.use((req, res, next) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      stats.unauthorized++;
      return pbError(res, 401, 'authentication.failed', 'Unauthorized', 'The access token is missing, invalid or revoked.');
    }
    if (req.headers['x-version'] !== '1') {
      stats.missingVersion++;
      return pbError(res, 400, 'validation.headers', 'Invalid headers', 'The X-Version header is required; supported versions: 1.');
    }
    const second = Math.floor(Date.now() / 1000);
    if (window.second !== second) window = { second, used: 0 };
    const limit = limits.requestsPerSecond;
    res.set({ 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(Math.max(0, limit - window.used - 1)) });
    if (++window.used > limit) {
      stats.throttled++;
      res.set('retry-after', '1');
      return pbError(res, 429, 'rateLimit.exceeded', 'Too Many Requests', `You have exceeded the rate limit of ${limit} requests per second.`);
    }
    next();
  });

  /** `links.next` for a listing: the same query with the next offset, or null at the end. */
  const nextLink = (req: Request, total: number, { limit, offset }: { limit: number; offset: number }) => {
    if (offset + limit >= total) return null;
    const query = new URLSearchParams(req.query as Record<string, string>);
    query.set('pageLimit', String(limit));
    query.set('pageOffset', String(offset + limit));
    return `${url}${req.path}?${query}`;
  };

  server.get('/features', (req, res) => {
    const page = paging(req, res);
    if (!page) return;
    const all = [...features.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    const ctx = { api: url, app, tenant: world.tenant, unknownFields: !!faults.plan.unknownFields };
    res.json({
      data: all.slice(page.offset, page.offset + page.limit).map((f) => renderFeature(f, { ...ctx, malformed: faults.isMalformed(f.id) })),
      links: { next: nextLink(req, all.length, page) },
    });
  });
  server.get('/releases', (req, res) => {
    const page = paging(req, res);
    if (!page) return;
    const all = [...releases.values()];
    res.json({ data: all.slice(page.offset, page.offset + page.limit).map((r) => renderRelease(r, { api: url, tenant: world.tenant })), links: { next: nextLink(req, all.length, page) } });
  });
  const assignments = (featureId?: unknown, releaseId?: unknown) => [...features.values()]
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
    .filter((f) => featureId === undefined || f.id === featureId)
    .flatMap((f) => f.releaseIds.filter((r) => releases.has(r) && (releaseId === undefined || r === releaseId)).map((r) => renderAssignment(f.id, r, url)));
  server.get('/feature-release-assignments', (req, res) => {
    const page = paging(req, res);
    if (!page) return;
    const all = assignments(req.query['feature.id'], req.query['release.id']);
    res.json({ data: all.slice(page.offset, page.offset + page.limit), links: { next: nextLink(req, all.length, page) } });
  });
  server.get('/feature-release-assignments/assignment', (req, res) => {
    const featureId = req.query['feature.id'];
    const releaseId = req.query['release.id'];
    if (typeof featureId !== 'string' || typeof releaseId !== 'string') return pbError(res, 400, 'validation.query', 'Invalid query parameter', 'feature.id and release.id are required');
    if (!features.has(featureId) || !releases.has(releaseId)) return pbError(res, 404, 'resource.notFound', 'Not Found', 'No such feature or release');
    const assigned = features.get(featureId)!.releaseIds.includes(releaseId);
    res.json({ data: { ...renderAssignment(featureId, releaseId, url), assigned } });
  });
  server.get('/hierarchy-entities/custom-fields', (req, res) => {
    const types = [req.query.type].flat().filter(Boolean);
    if (!types.length) return pbError(res, 400, 'validation.query', 'Invalid query parameter', 'type is required');
    const data = types.includes('text') ? fields.map((f) => ({ id: f.id, name: f.name, description: '', type: 'text', links: { self: `${url}/hierarchy-entities/custom-fields/${f.id}` } })) : [];
    res.json({ data, links: { next: null } });
  });
  server.get('/hierarchy-entities/custom-fields-values', (req, res) => {
    const fieldId = req.query['customField.id'];
    const types = [req.query.type].flat().filter(Boolean);
    if (!fieldId && !types.length) return pbError(res, 400, 'validation.query', 'Invalid query parameter', 'Either customField.id or type has to be specified');
    const page = paging(req, res);
    if (!page) return;
    const entity = req.query['hierarchyEntity.id'];
    const values = [...features.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .filter((f) => !entity || f.id === entity)
      .flatMap((f) => fields.filter((field) => (!fieldId || field.id === fieldId) && f.customFields[field.name]).map((field) => ({
        customField: { id: field.id, links: { self: `${url}/hierarchy-entities/custom-fields/${field.id}` } },
        hierarchyEntity: { id: f.id, type: 'feature', links: { self: `${url}/features/${f.id}` } },
        type: 'text', value: f.customFields[field.name],
      })));
    res.json({ data: values.slice(page.offset, page.offset + page.limit), links: { next: nextLink(req, values.length, page) } });
  });
  server.use((req, res) => pbError(res, 404, 'resource.notFound', 'Not Found', `No route for ${req.method} ${req.path}`));

  const running = await listen(server, options.port ?? 0);
  url = running.url;
  const feature = (id: string) => {
    const found = features.get(id);
    if (!found) throw new Error(`no feature ${id}`);
    return found;
  };
  return {
    ...running, vendor: 'productboard', faults, features, releases, stats, limits,
    credentials: { token }, config: {},
    update(id, changes) {
      return Object.assign(feature(id), changes, { updatedAt: Date.now() });
    },
    add(added) {
      const state = { ...added, createdAt: Date.now(), updatedAt: Date.now() };
      features.set(state.id, state);
      return state;
    },
    updateRelease(id, changes) {
      const found = releases.get(id);
      if (!found) throw new Error(`no release ${id}`);
      return Object.assign(found, changes);
    },
    assign(featureId, releaseId, assigned) {
      const f = feature(featureId);
      f.releaseIds = assigned ? [...new Set([...f.releaseIds, releaseId])] : f.releaseIds.filter((r) => r !== releaseId);
    },
    remove(id) {
      feature(id);
      features.delete(id);
    },
    revokeToken() {
      token = `${token}_revoked`;
    },
  };
}
