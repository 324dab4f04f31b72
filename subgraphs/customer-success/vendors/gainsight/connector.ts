import type { Connector } from '../../../../sync/connector.js';
import { companies } from './companies.js';
import { feedback } from './feedback.js';
import { healthScores } from './health-scores.js';

/**
 * Gainsight CS (customer success). Confirmed against Gainsight's Company, Custom Object and Data
 * Management API documentation:
 * - auth: the `accesskey` header; the key does not expire. A wrong key answers 401 (or 400 with
 *   `GS_APIG_2401` / `GSOBJ_1024`): the connection needs a new key;
 * - limits: 100 synchronous calls a minute (fixed window) and 50,000 a day, so one request a
 *   second; a connection's `config.requestsPerSecond` may say otherwise;
 * - reads: `POST /v1/data/objects/query/{object}` with `{ select, where: { conditions: [{ name,
 *   alias, value: [...], operator }], expression: "A AND B" }, orderBy: { field: "asc" }, limit
 *   (at most 5000), offset }`; the answer is `{ result, errorCode, errorDesc, requestId, data }`
 *   with the records in `data` or `data.records`; an empty result is a failure reply
 *   ("No data found for given criteria", GSOBJ_1011), and a 200 may still carry `result: false`;
 * - dates come back as epoch milliseconds, DATETIME filters take `yyyy-MM-dd HH:mm:ss` (UTC);
 * - deletions: `record_delete_log` (RecordId, ObjectName, DeletedOn), kept 15 days.
 * Streams: `companies` (Company -> the company's identity: `SfdcAccountId`, else the custom
 * `HubSpotCompanyId__gc`, else `Domain__gc`) then `health_scores` (the health snapshot object,
 * `config.snapshotObject`, default CompanyHealthSnapshot__gc), then `feedback` (survey answers,
 * `config.surveyObject`, default SurveyResponse__gc). `config.site` is the tenant's
 * gainsightcloud.com subdomain for links; `config.pageSize` the query limit.
 */
export const gainsight: Connector = {
  vendor: 'gainsight',
  domain: 'customer_success',
  title: 'Gainsight CS',
  defaultBaseUrl: 'https://app.gainsightcloud.com',
  auth: { type: 'header', name: 'accesskey' },
  requestsPerSecond: 1,
  streams: [companies, healthScores, feedback],
};
