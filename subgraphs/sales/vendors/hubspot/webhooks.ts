import type { ReadContext } from '../../../../sync/connector.js';
import { verifyHubSpotV3 } from '../../../../sync/webhooks/signatures.js';
import type { WebhookChange, WebhookContext, WebhookSpec } from '../../../../sync/webhooks/webhook.js';
import type { HubSpotCursor, HubSpotObjectSpec } from './object-stream.js';
import type { HubSpotObject } from './objects.js';

/** A stream HubSpot pushes events for: its name, and the object spec its sync reads with. */
export interface HubSpotWebhookStream {
  stream: string;
  /** The subscription type's object: `deal` in `deal.propertyChange`. */
  eventObject: string;
  spec: HubSpotObjectSpec;
}

interface HubSpotEvent { eventId?: unknown; subscriptionType?: unknown; objectId?: unknown; occurredAt?: unknown }

const CHANGES = new Set(['creation', 'propertyChange', 'restore', 'merge', 'associationChange']);

/**
 * HubSpot webhooks, as HubSpot documents them: a POST of a JSON array of events (`eventId`,
 * `subscriptionType` such as `deal.propertyChange`, `objectId`, `occurredAt`, ...), signed with
 * the v3 scheme and refused when the timestamp is over five minutes old. Events carry one
 * property at most, never the record: each event fetches the object as it is now
 * (`GET /crm/v3/objects/{type}/{id}`), completed as a sync completes it, so whatever the order
 * of arrival the newest state lands. A deal's company we never stored is fetched with it.
 */
export function hubspotWebhooks(streams: HubSpotWebhookStream[]): WebhookSpec {
  const parse = (type: string) => {
    const [object, change] = type.split('.', 2);
    const entry = streams.find((s) => s.eventObject === object);
    return entry && (change === 'deletion' || CHANGES.has(change)) ? { entry, deleted: change === 'deletion' } : null;
  };

  async function fetchObject(ctx: WebhookContext, entry: HubSpotWebhookStream, id: string): Promise<HubSpotObject | null> {
    const { spec } = entry;
    const response = await ctx.http().request('GET', `/crm/v3/objects/${spec.objectType}/${encodeURIComponent(id)}`, {
      query: { properties: spec.properties.join(','), ...(spec.associations ? { associations: spec.associations } : {}) }, accept: [404],
    });
    if (response.status === 404) return null;
    const object = response.json<HubSpotObject>();
    if (spec.prepare) {
      const read: ReadContext<HubSpotCursor> = { http: ctx.http(), mode: 'incremental', cursor: null, since: new Date(0), config: ctx.config, log: ctx.log, signal: new AbortController().signal };
      await (await spec.prepare(read))([object], 'list');
    }
    return object;
  }

  return {
    verify: verifyHubSpotV3(5 * 60_000),
    deliveries(body) {
      if (!Array.isArray(body)) throw new Error('the body is not an array of HubSpot events');
      return (body as HubSpotEvent[]).map((event) => {
        if ((typeof event?.eventId !== 'number' && typeof event?.eventId !== 'string') || typeof event.subscriptionType !== 'string') {
          throw new Error('an event lacks eventId or subscriptionType');
        }
        return { id: String(event.eventId), type: event.subscriptionType, payload: event };
      });
    },
    handles: (type) => parse(type) !== null,
    async changes(delivery, ctx): Promise<WebhookChange[]> {
      const parsed = parse(delivery.type)!;
      const id = String((delivery.payload as HubSpotEvent).objectId);
      const { entry } = parsed;
      const object = parsed.deleted ? null : await fetchObject(ctx, entry, id);
      if (!object) return [{ stream: entry.stream, records: [], deleted: [id] }];
      const before: WebhookChange[] = [];
      const companyId = object.associations?.companies?.results?.[0]?.id;
      const companies = streams.find((s) => s.eventObject === 'company');
      if (companyId && companies && companies !== entry && !(await ctx.stored(companies.stream, [companyId])).size) {
        const company = await fetchObject(ctx, companies, companyId);
        if (company) before.push({ stream: companies.stream, records: [company] });
      }
      return [...before, { stream: entry.stream, records: [object] }];
    },
  };
}
