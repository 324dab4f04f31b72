import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { Faults } from '../shared/faults.js';
import { controlRoutes, listen } from '../shared/server.js';
import { stripeSigner } from '../shared/webhook-signers.js';
import { WebhookSender, webhookControlRoutes } from '../shared/webhooks.js';
import type { World } from '../shared/world.js';
import { customers, invoice, newestFirst, subscription, type StripeObject } from './objects.js';

type Kind = 'customer' | 'subscription' | 'invoice';
const PLURAL: Record<string, Kind> = { customers: 'customer', subscriptions: 'subscription', invoices: 'invoice' };
/** Stripe keeps events 30 days. */
const EVENT_RETENTION_SECONDS = 30 * 86_400;

export interface StripeEvent { id: string; object: 'event'; type: string; created: number; data: { object: StripeObject } }

export interface StripeSimulator {
  url: string;
  vendor: 'stripe';
  faults: Faults;
  credentials: { token: string };
  config: Record<string, unknown>;
  objects: Map<Kind, Map<string, StripeObject>>;
  events: StripeEvent[];
  /** Every event is also posted as a webhook, once a target is registered. */
  webhooks: WebhookSender;
  /** Changes an object as the vendor would and logs the event (`customer.subscription.updated`, ...). */
  update(kind: Kind, id: string, changes: Record<string, unknown>): StripeObject;
  /** Deletes an object; only the event tells (`invoice.deleted`, `customer.deleted`). */
  remove(kind: Kind, id: string): void;
  add(kind: Kind, object: StripeObject): void;
  /** Every event is older than Stripe keeps: an incremental sync must notice it can no longer rely on them. */
  forgetEvents(): void;
  revokeKey(): void;
  /** What a 429 says in `Stripe-Should-Retry` ('true' by default; null leaves the header out). */
  setRateLimitAdvice(shouldRetry: 'true' | 'false' | null): void;
  close(): Promise<void>;
}

const EVENT_PREFIX: Record<Kind, string> = { customer: 'customer', subscription: 'customer.subscription', invoice: 'invoice' };

function stripeError(res: Response, status: number, type: string, message: string, extra: Record<string, unknown> = {}) {
  res.status(status).json({ error: { type, message, ...extra } });
}

/**
 * Stripe's REST API for customers, subscriptions, invoices and events: bearer secret key,
 * `limit` (max 100) and `starting_after` pagination over newest-first lists, `{ object: "list",
 * data, has_more, url }`, events kept 30 days with `created[gt|gte|lt|lte]` and `types[]`
 * filters, error bodies `{ error: { type, code, message } }`, and `Stripe-Should-Retry`.
 */
export async function startStripeSimulator(world: World, options: { port?: number } = {}): Promise<StripeSimulator> {
  const faults = new Faults();
  let key = `sk_test_${createHash('sha256').update(`stripe:${world.tenant}`).digest('hex').slice(0, 24)}`;
  const objects = new Map<Kind, Map<string, StripeObject>>([
    ['customer', new Map(customers(world).map((o) => [o.id, o]))],
    ['subscription', new Map(world.rows('finance.subscriptions').map((r) => [r.external_id, subscription(r)]))],
    ['invoice', new Map(world.rows('finance.invoices').map((r) => [r.external_id, invoice(r)]))],
  ]);
  const events: StripeEvent[] = [];
  const webhooks = new WebhookSender(stripeSigner);
  let eventCount = 0;
  const log = (kind: Kind, action: 'created' | 'updated' | 'deleted', object: StripeObject) => {
    version++;
    const created = Math.max(Math.floor(Date.now() / 1000), events.at(-1)?.created ?? 0);
    const event: StripeEvent = { id: `evt_${createHash('sha1').update(`${world.tenant}:${++eventCount}`).digest('hex').slice(0, 24)}`, object: 'event', type: `${EVENT_PREFIX[kind]}.${action}`, created, data: { object: structuredClone(object) } };
    events.push(event);
    webhooks.emit({ ...event, api_version: '2025-10-29.clover', livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null } });
  };

  const render = (o: StripeObject): StripeObject => {
    let out = o;
    if (faults.isMalformed(o.id)) {
      out = structuredClone(o);
      if (out.object === 'invoice') out.amount_due = 'n/a';
      if (out.object === 'subscription') out.items.data[0].price.unit_amount = 'n/a';
    }
    return faults.plan.unknownFields ? { ...out, x_tax_automation: { enabled: true, liability: { type: 'self' } } } : out;
  };

  let rateLimitAdvice: 'true' | 'false' | null = 'true';
  const app = express();
  controlRoutes(app, faults);
  webhookControlRoutes(app, webhooks);
  app.use('/v1', faults.middleware({
    rateLimited: (res, retryAfter) => {
      res.set('retry-after', String(retryAfter));
      if (rateLimitAdvice !== null) res.set('stripe-should-retry', rateLimitAdvice);
      stripeError(res, 429, 'invalid_request_error', 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.', { code: 'rate_limit' });
    },
    serverError: (res, status) => {
      res.set('stripe-should-retry', 'true');
      stripeError(res, status, 'api_error', 'An unknown error occurred on our end. Please retry the request.');
    },
  }));
  app.use('/v1', (req, res, next) => {
    if (req.headers.authorization !== `Bearer ${key}`) {
      return stripeError(res, 401, 'invalid_request_error', `Invalid API Key provided: ${String(req.headers.authorization ?? '').slice(7, 15)}********`);
    }
    res.set('request-id', `req_${eventCount}${Date.now().toString(36)}`);
    next();
  });

  // Sorted lists and their positions, rebuilt only after a change: paging stays cheap at any size.
  let version = 0;
  const sorted = new Map<string, { version: number; items: StripeObject[]; position: Map<string, number> }>();
  function listOf(key: string, make: () => StripeObject[]): { items: StripeObject[]; position: Map<string, number> } {
    let cached = sorted.get(key);
    // Also stale when a test removed an object behind the API's back (a deletion Stripe never announced).
    const stamp = version * 1e9 + [...objects.values()].reduce((n, m) => n + m.size, 0);
    if (!cached || cached.version !== stamp) {
      const items = make();
      sorted.set(key, (cached = { version: stamp, items, position: new Map(items.map((o, i) => [o.id, i])) }));
    }
    return cached;
  }

  function page(req: Request, res: Response, list: { items: StripeObject[]; position: Map<string, number> }, path: string) {
    const { items } = list;
    const limit = req.query.limit === undefined ? 10 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return stripeError(res, 400, 'invalid_request_error', 'Invalid integer: limit must be between 1 and 100', { param: 'limit' });
    let start = 0;
    if (typeof req.query.starting_after === 'string') {
      const at = list.position.get(req.query.starting_after) ?? -1;
      if (at < 0) return stripeError(res, 400, 'invalid_request_error', `No such object: '${req.query.starting_after}'`, { param: 'starting_after', code: 'resource_missing' });
      start = at + 1;
    }
    const data = items.slice(start, start + limit);
    res.json({ object: 'list', data: data.map(render), has_more: start + limit < items.length, url: path });
  }

  app.get('/v1/events', (req, res) => {
    const q = req.query as Record<string, string | string[] | undefined>;
    const types = [q['types[]'] ?? q.type ?? []].flat().filter(Boolean) as string[];
    const bound = (name: string) => (q[`created[${name}]`] === undefined ? null : Number(q[`created[${name}]`]));
    const [gt, gte, lt, lte] = ['gt', 'gte', 'lt', 'lte'].map(bound);
    const oldest = Math.floor(Date.now() / 1000) - EVENT_RETENTION_SECONDS;
    const matching = events.filter((e) => e.created >= oldest && (!types.length || types.some((t) => (t.endsWith('*') ? e.type.startsWith(t.slice(0, -1)) : e.type === t)))
      && (gt === null || e.created > gt) && (gte === null || e.created >= gte) && (lt === null || e.created < lt) && (lte === null || e.created <= lte));
    const newest = [...matching].reverse() as unknown as StripeObject[];
    page(req, res, { items: newest, position: new Map(newest.map((e, i) => [e.id, i])) }, '/v1/events');
  });
  app.get('/v1/:plural', (req, res) => {
    const kind = PLURAL[String(req.params.plural)];
    if (!kind) return stripeError(res, 404, 'invalid_request_error', `Unrecognized request URL (GET: /v1/${req.params.plural}).`);
    // Subscriptions: canceled ones only with status=all (or status=canceled), as Stripe lists them.
    const status = kind === 'subscription' ? (typeof req.query.status === 'string' ? req.query.status : 'not-canceled') : 'all';
    const list = listOf(`${kind}:${status}`, () => [...objects.get(kind)!.values()]
      .filter((o) => (status === 'all' ? true : status === 'not-canceled' ? o.status !== 'canceled' : o.status === status)).sort(newestFirst));
    page(req, res, list, `/v1/${req.params.plural}`);
  });

  const running = await listen(app, options.port ?? 0);
  return {
    ...running, vendor: 'stripe', faults, objects, events, webhooks, credentials: { token: key }, config: {},
    update(kind, id, changes) {
      const object = objects.get(kind)!.get(id);
      if (!object) throw new Error(`no ${kind} ${id}`);
      Object.assign(object, changes);
      log(kind, kind === 'subscription' && changes.status === 'canceled' ? 'deleted' : 'updated', object);
      return object;
    },
    remove(kind, id) {
      const object = objects.get(kind)!.get(id);
      if (!object) throw new Error(`no ${kind} ${id}`);
      objects.get(kind)!.delete(id);
      log(kind, 'deleted', object);
    },
    add(kind, object) {
      objects.get(kind)!.set(object.id, object);
      log(kind, 'created', object);
    },
    forgetEvents() {
      for (const event of events) event.created -= EVENT_RETENTION_SECONDS + 86_400;
    },
    revokeKey() {
      key = `${key}_rolled`;
    },
    setRateLimitAdvice(shouldRetry) {
      rateLimitAdvice = shouldRetry;
    },
  };
}
