import type { Connector } from '../../../../sync/connector.js';
import { features } from './features.js';
import { releases } from './releases.js';

/**
 * Productboard (product). Confirmed against Productboard's API reference (v1):
 * - auth: a bearer access token; every request carries `X-Version: 1`;
 * - features: `GET /features?pageLimit=` -> `{ data: [{ id, name, description (HTML), type, archived,
 *   status: { id, name }, parent, timeframe, links: { self, html }, createdAt, updatedAt }], links: { next } }`:
 *   follow `links.next` until it is absent; no filter by modification time;
 * - custom fields: `GET /hierarchy-entities/custom-fields?type=text` (definitions) and
 *   `GET /hierarchy-entities/custom-fields-values?customField.id=` (set values, 100 a page, `links.next`),
 *   each value `{ customField: { id }, hierarchyEntity: { id, type }, type, value }`;
 * - releases: `GET /releases` -> `{ data: [{ id, name, description (HTML), state (upcoming, in-progress,
 *   completed), timeframe: { startDate, endDate, granularity }, releaseGroup: { id }, links: { self } }], links: { next } }`;
 * - assignments: `GET /feature-release-assignments` (filter `release.id` or `feature.id`; `links.next`)
 *   lists existing assignments only, each `{ feature: { id }, release: { id }, assigned: true }`;
 * - limits: 50 requests a second per token, 429 beyond, with `Retry-After` (seconds);
 * - errors: `{ errors: [{ code, title, detail }] }` (codes such as `system.internalServerError`).
 * Connection config: `pageSize` (features per page, up to 100), `customFields` (`{ key, priority, team }`:
 * names of the text custom fields holding them), `statusMap` (a workspace's own status names).
 */
export const productboard: Connector = {
  vendor: 'productboard',
  domain: 'product',
  title: 'Productboard',
  defaultBaseUrl: 'https://api.productboard.com',
  auth: { type: 'bearer' },
  requestsPerSecond: 40,
  headers: { 'X-Version': '1' },
  // Releases first: features refer to them.
  streams: [releases, features],
};
