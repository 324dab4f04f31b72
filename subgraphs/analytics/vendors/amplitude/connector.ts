import type { Connector } from '../../../../sync/connector.js';
import { eventsStream } from './events-stream.js';
import { VENDOR } from './mapping.js';
import { userDeletionsStream } from './user-deletions-stream.js';

/**
 * Amplitude (analytics). Confirmed against Amplitude's API documentation:
 * - base `https://amplitude.com` (EU projects: `https://analytics.eu.amplitude.com`, as the
 *   connection's base URL); HTTP Basic auth with the project's API key as user and secret key as password;
 * - Export API `GET /api/2/export?start=YYYYMMDDTHH&end=YYYYMMDDTHH` (both hours included, UTC, at
 *   most 365 days): a zip of gzipped JSON-lines files, several per hour by volume; 404 when the
 *   range holds no data; 400 when the export would exceed 4 GB (a smaller range is needed);
 * - hours are by upload time (`server_upload_time`), and an hour is exported completely only about
 *   two hours after it ends: recent hours are read again on every run; events carry `$insert_id`
 *   (Amplitude dedupes on it), `uuid`, `user_id`, `amplitude_id`, `event_type`, `event_time`
 *   (UTC without a zone, 'YYYY-MM-DD HH:MM:SS.ffffff', also seen with a 'T'), `event_properties`,
 *   `user_properties`, `groups` (account analytics: `{ company: <web domain> }`);
 * - at most 5 concurrent requests across the REST APIs, 429 beyond (only the status and
 *   `Retry-After` are relied on; the body's shape is not documented);
 * - User Privacy API `GET /api/2/deletions/users?start_day=&end_day=` (at most six months): deletion
 *   jobs `{ day, status: staging|submitted|done, amplitude_ids: [{ amplitude_id, requester, requested_on_day }] }`;
 * - there is no listing of users: end users are known from their events.
 * Connection settings: `org` (the organisation's URL name, for links), `featureProperty` (the event
 * property naming a feature's key, default `feature_key`), `hoursPerRequest` (default 24),
 * `lagHours` (default 3), `pageSize` (events a page, default 10,000).
 */
export const amplitude: Connector = {
  vendor: VENDOR,
  domain: 'analytics',
  title: 'Amplitude',
  defaultBaseUrl: 'https://amplitude.com',
  auth: { type: 'basic' },
  // Exports are few and heavy; one connection reads one range at a time.
  requestsPerSecond: 2,
  signals: {
    classify({ status }) {
      if (status === 403) return { retry: false, reason: 'Amplitude refused the key for this project (wrong key, secret or data region)' };
      return undefined;
    },
  },
  streams: [eventsStream, userDeletionsStream],
};
