import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';

/**
 * The vendor side of `npm run bench:subscriptions`: posts a burst of signed Jira webhooks
 * (`jira:issue_created`, each an epic released now, its send time in its summary) with
 * `--concurrency` requests in flight, and prints one JSON line: how many were accepted and in
 * how many seconds.
 */
const { values } = parseArgs({ options: { url: { type: 'string' }, secret: { type: 'string' }, count: { type: 'string' }, concurrency: { type: 'string', default: '16' }, run: { type: 'string' } } });
const count = Number(values.count);
let next = 0;
let accepted = 0;

function delivery(i: number): { body: string; id: string } {
  const now = new Date();
  const at = now.toISOString().replace('Z', '+0000');
  const id = `${values.run}-${i}`;
  const issue = {
    id, key: `BENCH-${i}`, self: `https://bench.atlassian.net/rest/api/3/issue/${id}`,
    fields: {
      summary: `Bench ${now.getTime()}`, description: null, issuetype: { id: '10000', name: 'Epic' },
      status: { name: 'Done', statusCategory: { key: 'done' } }, priority: { name: 'Medium' }, labels: ['bench'],
      fixVersions: [], resolutiondate: at, created: at, updated: at,
    },
  };
  return { id, body: JSON.stringify({ timestamp: now.getTime(), webhookEvent: 'jira:issue_created', issue_event_type_name: 'issue_created', issue }) };
}

async function sender() {
  for (let i = next++; i < count; i = next++) {
    const { id, body } = delivery(i);
    const res = await fetch(values.url!, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': id, 'x-hub-signature': `sha256=${createHmac('sha256', values.secret!).update(body).digest('hex')}` },
    });
    await res.arrayBuffer();
    if (res.status === 202) accepted++;
  }
}

// A vendor's sender keeps its connections open: each of ours opens one before the burst, untimed.
const origin = new URL(values.url!).origin;
await Promise.all(Array.from({ length: Number(values.concurrency) }, async () => (await fetch(`${origin}/healthz`)).arrayBuffer()));
const started = performance.now();
await Promise.all(Array.from({ length: Number(values.concurrency) }, sender));
console.log(JSON.stringify({ accepted, seconds: (performance.now() - started) / 1000 }));
