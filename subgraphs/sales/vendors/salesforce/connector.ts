import type { Connector } from '../../../../sync/connector.js';
import { retryAfterMs } from '../../../../sync/retry.js';
import { companyStream, dealStream } from '../crm/streams.js';
import { ACCOUNT_FIELDS, accountFields, OPPORTUNITY_FIELDS, opportunityFields } from './mapping.js';
import { soqlRead } from './soql-stream.js';

const HOUR = 3_600_000;

/**
 * Salesforce (sales). Confirmed against Salesforce's REST API guide:
 * - auth: OAuth 2.0 refresh-token grant at https://login.salesforce.com/services/oauth2/token; the
 *   token response carries `instance_url`, the base of every call, and no expiry: an expired
 *   session answers 401 `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`
 *   and is refreshed once;
 * - query: `GET /services/data/vXX.X/query?q=<SOQL>` -> `{ totalSize, done, records: [{ attributes:
 *   { type, url }, Id, ... }], nextRecordsUrl }`, up to 2,000 records a batch, the rest behind
 *   `nextRecordsUrl`; dateTimes are whole seconds, so records share SystemModstamps: reads are
 *   keyset queries on (SystemModstamp, Id) up to a few settled seconds ago, see soql.ts;
 * - deletions: `GET /services/data/vXX.X/sobjects/{type}/deleted/?start=&end=` -> `{ deletedRecords:
 *   [{ id, deletedDate }], earliestDateAvailable, latestDateCovered }`, 15 days back, to the minute;
 * - limits: `Sforce-Limit-Info: api-usage=used/max` on responses; a used-up daily allocation answers
 *   403 `REQUEST_LIMIT_EXCEEDED` ("TotalRequests Limit exceeded."): the run stops at once and is
 *   rescheduled an hour later; the same code for too many long-running requests at once is retried.
 * Connection config: `myDomain` (record links), `currency` (single-currency orgs, default USD),
 * `pageSize` (SOQL LIMIT, default 2,000), `apiUsageCeiling` (share of the org's allocation a sync may use),
 * `settleSeconds` (how recent a change is left to the next run, default 5).
 */
export const salesforce: Connector = {
  vendor: 'salesforce',
  domain: 'sales',
  title: 'Salesforce',
  defaultBaseUrl: 'https://login.salesforce.com',
  auth: { type: 'oauth2', tokenUrl: 'https://login.salesforce.com/services/oauth2/token', instanceUrlField: 'instance_url', revokeUrl: 'https://login.salesforce.com/services/oauth2/revoke' },
  requestsPerSecond: 10,
  signals: {
    classify({ status, headers, body }) {
      if (status !== 403 || !body.includes('REQUEST_LIMIT_EXCEEDED')) return undefined;
      if (/Concurrent/i.test(body)) return { retry: true, waitMs: retryAfterMs(headers.get('retry-after')) ?? undefined, reason: 'too many long-running Salesforce requests at once' };
      return { retry: true, waitMs: HOUR, reason: "the Salesforce org's daily API requests are used up (REQUEST_LIMIT_EXCEEDED)" };
    },
  },
  streams: [
    companyStream({ name: 'accounts', fields: accountFields, read: soqlRead({ object: 'Account', fields: ACCOUNT_FIELDS, backfillFromSince: false }) }),
    dealStream({ name: 'opportunities', fields: opportunityFields, read: soqlRead({ object: 'Opportunity', fields: OPPORTUNITY_FIELDS, backfillFromSince: true }) }),
  ],
};
