import { verifyHubSignature } from '../../../../sync/webhooks/signatures.js';
import type { WebhookChange, WebhookContext, WebhookSpec } from '../../../../sync/webhooks/webhook.js';
import { deploymentById } from './deployment-statuses.js';
import { withDetails } from './pull-request-details.js';
import type { RepositoryRef } from './repositories.js';

interface GitHubRepository { id?: unknown; full_name?: unknown; html_url?: unknown }
interface GitHubEvent { action?: unknown; repository?: GitHubRepository; pull_request?: unknown; deployment?: { id?: unknown } }

const HANDLED = new Set(['pull_request', 'deployment', 'deployment_status', 'repository']);

function repositoryRef(repository: GitHubRepository | undefined): RepositoryRef {
  if (typeof repository?.id !== 'number' || typeof repository.full_name !== 'string') throw new Error('the event names no repository');
  return { id: repository.id, fullName: repository.full_name, htmlUrl: typeof repository.html_url === 'string' ? repository.html_url : `https://github.com/${repository.full_name}` };
}

/** The event's repository, when we have never stored it: it lands first, so what refers to it finds it. */
async function unseenRepository(ctx: WebhookContext, event: GitHubEvent): Promise<WebhookChange[]> {
  const known = await ctx.stored('repositories', [String(event.repository?.id)]);
  return known.size ? [] : [{ stream: 'repositories', records: [event.repository] }];
}

/**
 * GitHub webhooks, as GitHub documents them: `X-GitHub-Event` names the event, `X-GitHub-Delivery`
 * is the delivery's GUID (a redelivery keeps it), `X-Hub-Signature-256: sha256=<hex HMAC-SHA256
 * of the body>`. A pull request event is completed as a sync completes a listed one (its size and
 * first commit fetched); a deployment or deployment status event fetches the deployment with all
 * its statuses, so the newest state lands whatever order the events came in. `ping` and other
 * events are acknowledged and ignored.
 */
export const githubWebhooks: WebhookSpec = {
  verify: verifyHubSignature('x-hub-signature-256'),
  deliveries(body, request) {
    const id = request.headers['x-github-delivery'];
    const type = request.headers['x-github-event'];
    if (!id || !type) throw new Error('missing X-GitHub-Delivery or X-GitHub-Event');
    return [{ id, type, payload: body }];
  },
  handles: (type) => HANDLED.has(type),
  async changes(delivery, ctx): Promise<WebhookChange[]> {
    const event = delivery.payload as GitHubEvent;
    const repository = repositoryRef(event.repository);
    if (delivery.type === 'repository') {
      return event.action === 'deleted' ? [{ stream: 'repositories', records: [], deleted: [String(repository.id)] }] : [{ stream: 'repositories', records: [event.repository] }];
    }
    const before = await unseenRepository(ctx, event);
    if (delivery.type === 'pull_request') {
      return [...before, { stream: 'pull_requests', records: await withDetails(ctx.http(), repository, [event.pull_request], 2) }];
    }
    const id = event.deployment?.id;
    if (typeof id !== 'number') throw new Error('the event names no deployment');
    const deployment = await deploymentById(ctx.http(), repository, id);
    return [...before, deployment ? { stream: 'deployments', records: [deployment] } : { stream: 'deployments', records: [], deleted: [String(id)] }];
  },
};
