import { verifyHubSignature } from '../../../../sync/webhooks/signatures.js';
import type { WebhookChange, WebhookSpec } from '../../../../sync/webhooks/webhook.js';
import { ISSUE_FIELDS } from './issues.js';
import { apiPath, jiraSettings } from './settings.js';

interface JiraIssue { id?: unknown; fields?: { issuetype?: { name?: unknown }; fixVersions?: unknown; updated?: unknown } }
interface JiraEvent { webhookEvent?: unknown; issue?: JiraIssue; version?: { id?: unknown } }

const ISSUE_CHANGED = new Set(['jira:issue_created', 'jira:issue_updated']);
const VERSION_CHANGED = new Set(['jira:version_created', 'jira:version_updated', 'jira:version_released', 'jira:version_unreleased', 'jira:version_moved']);
const HANDLED = new Set([...ISSUE_CHANGED, ...VERSION_CHANGED, 'jira:issue_deleted', 'jira:version_deleted']);

/**
 * Jira Cloud webhooks, as Atlassian documents them: the body is `{ timestamp, webhookEvent,
 * issue | version, ... }`; `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>` when the
 * webhook has a secret; `X-Atlassian-Webhook-Identifier` stays the same across retries of one
 * delivery (the dedupe key). An issue event carries the issue with its fields; one without its
 * fields is fetched (`GET /issue/{id}`), and so is a fix version it names that we never stored
 * (`GET /version/{id}`), so a feature never points at a release we do not have. Issues of another type than the
 * connection's feature type change nothing.
 */
export const jiraWebhooks: WebhookSpec = {
  verify: verifyHubSignature('x-hub-signature'),
  deliveries(body, request) {
    const event = body as JiraEvent;
    const id = request.headers['x-atlassian-webhook-identifier'];
    if (!id) throw new Error('missing X-Atlassian-Webhook-Identifier');
    if (typeof event?.webhookEvent !== 'string') throw new Error('the body has no webhookEvent');
    return [{ id, type: event.webhookEvent, payload: event }];
  },
  handles: (type) => HANDLED.has(type),
  async changes(delivery, ctx): Promise<WebhookChange[]> {
    const event = delivery.payload as JiraEvent;
    const settings = jiraSettings(ctx.config);
    if (delivery.type === 'jira:issue_deleted') return [{ stream: 'issues', records: [], deleted: [String(event.issue?.id)] }];
    if (delivery.type === 'jira:version_deleted') return [{ stream: 'versions', records: [], deleted: [String(event.version?.id)] }];
    if (VERSION_CHANGED.has(delivery.type)) return [{ stream: 'versions', records: [event.version] }];
    let issue = event.issue;
    if (!issue?.fields?.updated) {
      issue = await ctx.http().get<JiraIssue>(apiPath(settings, `/issue/${encodeURIComponent(String(issue?.id))}`), { fields: ISSUE_FIELDS.join(',') });
    }
    if (issue.fields?.issuetype?.name !== settings.issueType) return [];
    const named = (Array.isArray(issue.fields?.fixVersions) ? issue.fields.fixVersions : []).map((v: { id?: unknown }) => String(v?.id));
    const known = await ctx.stored('versions', named);
    const versions = [];
    for (const id of named.filter((v) => !known.has(v))) versions.push(await ctx.http().get(apiPath(settings, `/version/${encodeURIComponent(id)}`)));
    return [{ stream: 'versions', records: versions }, { stream: 'issues', records: [issue] }];
  },
};
