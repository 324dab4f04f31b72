import { createHmac } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

/**
 * The vendor side of `npm run bench:subscriptions`: opens its connections and prints `ready`.
 * Then, for each line on stdin, posts a burst of `--count` signed Jira webhooks
 * (`jira:issue_created`, each an epic released now) with `--concurrency` requests in flight and
 * prints one JSON line: how many were accepted and in how many seconds. `warm` sends one whose
 * epics are named `Warmup …` (not counted); `go` sends the measured one, each epic named
 * `Bench <send time>`.
 */
const { values } = parseArgs({ options: { url: { type: 'string' }, secret: { type: 'string' }, count: { type: 'string' }, concurrency: { type: 'string', default: '16' }, run: { type: 'string' } } });
const count = Number(values.count);

function delivery(burst: string, label: string, i: number): { body: string; id: string } {
  const now = new Date();
  const at = now.toISOString().replace('Z', '+0000');
  const id = `${values.run}-${burst}-${i}`;
  const issue = {
    id, key: `BENCH-${burst}-${i}`, self: `https://bench.atlassian.net/rest/api/3/issue/${id}`,
    fields: {
      summary: `${label} ${now.getTime()}`, description: null, issuetype: { id: '10000', name: 'Epic' },
      status: { name: 'Done', statusCategory: { key: 'done' } }, priority: { name: 'Medium' }, labels: ['bench'],
      fixVersions: [], resolutiondate: at, created: at, updated: at,
    },
  };
  return { id, body: JSON.stringify({ timestamp: now.getTime(), webhookEvent: 'jira:issue_created', issue_event_type_name: 'issue_created', issue }) };
}

async function burst(name: string, label: string): Promise<{ accepted: number; seconds: number }> {
  let next = 0;
  let accepted = 0;
  const sender = async () => {
    for (let i = next++; i < count; i = next++) {
      const { id, body } = delivery(name, label, i);
      const res = await fetch(values.url!, {
        method: 'POST', body,
        headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': id, 'x-hub-signature': `sha256=${createHmac('sha256', values.secret!).update(body).digest('hex')}` },
      });
      await res.arrayBuffer();
      if (res.status === 202) accepted++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Number(values.concurrency) }, sender));
  return { accepted, seconds: (performance.now() - started) / 1000 };
}

// A vendor's sender keeps its connections open: each of ours opens one before the bursts, untimed.
const origin = new URL(values.url!).origin;
await Promise.all(Array.from({ length: Number(values.concurrency) }, async () => (await fetch(`${origin}/healthz`)).arrayBuffer()));
console.log('ready');
// A vendor runs on machines of its own: this process's start is over before a burst is asked for.
const commands = createInterface({ input: process.stdin });
for await (const line of commands) {
  if (line === 'warm') console.log(JSON.stringify(await burst('warm', 'Warmup')));
  if (line === 'go') {
    console.log(JSON.stringify(await burst('go', 'Bench')));
    break;
  }
}
commands.close();
process.stdin.destroy();
