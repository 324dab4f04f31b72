import type { Connector } from '../../../../sync/connector.js';
import { companyStream, dealStream } from '../crm/streams.js';
import { withCompanyAssociations, withOwnerNames } from './enrich.js';
import { COMPANY_PROPERTIES, companyFields, DEAL_PROPERTIES, dealFields } from './mapping.js';
import { objectRead, type HubSpotObjectSpec } from './object-stream.js';
import { hubspotWebhooks } from './webhooks.js';

const companies: HubSpotObjectSpec = { objectType: 'companies', properties: COMPANY_PROPERTIES, backfillFromSince: false, prepare: withOwnerNames };
const deals: HubSpotObjectSpec = { objectType: 'deals', properties: DEAL_PROPERTIES, associations: 'companies', backfillFromSince: true, prepare: withCompanyAssociations };

/** Milliseconds to the next midnight UTC, when HubSpot's daily allocation starts again (portals in other zones reset earlier or later). */
function untilMidnightUtc(now = new Date()): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime();
}

/**
 * HubSpot (sales). Confirmed against HubSpot's developer docs:
 * - auth: OAuth 2.0 refresh-token grant at `POST /oauth/v1/token`; access tokens live 30 minutes
 *   (`expires_in` 1800) and are refreshed ahead of expiry, not on a 401; refresh tokens do not expire;
 * - listing: `GET /crm/v3/objects/{companies|deals}?limit=100&after=&properties=&associations=companies`
 *   -> `{ results: [{ id, properties, createdAt, updatedAt, archived, associations }], paging: { next: { after, link } } }`;
 * - changes: `POST /crm/v3/objects/{type}/search` filtering `hs_lastmodifieddate` (epoch ms), one sort,
 *   up to 200 a page, 10,000 results a query at most (a 400 beyond): windows by time, see search.ts;
 *   search returns no associations: `POST /crm/v4/associations/deals/companies/batch/read`;
 * - owners: `GET /crm/v3/owners` (names for `hubspot_owner_id`);
 * - limits: 100 requests per 10 s per OAuth app and portal, search 5 per second; a 429 body names its
 *   policy (`{ status: "error", errorType: "RATE_LIMIT", policyName: "TEN_SECONDLY_ROLLING" | "DAILY" }`)
 *   beside `X-HubSpot-RateLimit-*` headers; the daily one reschedules the run after midnight.
 * - deletions: archived records leave the listing: reconciliation removes them.
 * Connection config: `portalId` (record links), `pageSize` (listing up to 100, search up to 200),
 * `settleSeconds` (how recent a change is left to the next run while search indexes it, default 30).
 */
export const hubspot: Connector = {
  vendor: 'hubspot',
  domain: 'sales',
  title: 'HubSpot',
  defaultBaseUrl: 'https://api.hubapi.com',
  auth: { type: 'oauth2', tokenUrl: '/oauth/v1/token', refreshAheadMs: 5 * 60_000 },
  // Search allows 5 a second per token; every stream here may search.
  requestsPerSecond: 4,
  signals: {
    classify({ status, body }) {
      if (status !== 429) return undefined;
      if (/"policyName"\s*:\s*"DAILY"/.test(body)) return { retry: true, waitMs: untilMidnightUtc(), reason: "HubSpot's daily API limit is reached" };
      return undefined;
    },
  },
  streams: [
    companyStream({ name: 'companies', fields: companyFields, read: objectRead(companies) }),
    dealStream({ name: 'deals', fields: dealFields, read: objectRead(deals) }),
  ],
  webhooks: hubspotWebhooks([{ stream: 'companies', eventObject: 'company', spec: companies }, { stream: 'deals', eventObject: 'deal', spec: deals }]),
};
