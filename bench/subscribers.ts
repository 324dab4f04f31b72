import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * The subscribers of `npm run bench:subscriptions`, in a process of their own so that their
 * cost is not the gateway's: `--url ws://… --token … --count N`. Prints `ready` once every one is
 * subscribed, then, when told `expect K` on stdin, one JSON line of delivery latencies (and this process's CPU time since the first) once each
 * subscriber has received K events (latency: receipt time minus the time in the feature's name).
 */
const { values } = parseArgs({ options: { url: { type: 'string' }, token: { type: 'string' }, count: { type: 'string' } } });
const count = Number(values.count);
const QUERY = 'subscription { featureReleased { id name releasedAt adoption { activeUsers } } }';
const latencies: number[] = [];
const received = new Array<number>(count).fill(0);
let expected = Infinity;
let done = false;
/** CPU time from the first counted event on: what receiving the burst cost this process. */
let cpuAtFirst: NodeJS.CpuUsage | null = null;

function check() {
  if (done || !received.every((n) => n >= expected)) return;
  done = true;
  const cpu = process.cpuUsage(cpuAtFirst ?? undefined);
  console.log(JSON.stringify({ latencies, cpuMs: (cpu.user + cpu.system) / 1000 }));
}

let subscribed = 0;
for (let i = 0; i < count; i++) {
  const client = createClient({ url: values.url!, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${values.token}` }, lazy: false, retryAttempts: 0, onNonLazyError: () => {} });
  client.subscribe({ query: QUERY }, {
    next: (value) => {
      const name = (value.data as { featureReleased?: { name?: string } } | null)?.featureReleased?.name ?? '';
      // The warm-up release (the gateway plans the query once) is not counted.
      if (!name.startsWith('Bench ')) return;
      cpuAtFirst ??= process.cpuUsage();
      latencies.push(Date.now() - Number(name.split(' ')[1]));
      received[i]++;
      check();
    },
    error: (error) => { console.error('subscriber error', error); process.exit(1); },
    complete: () => {},
  });
  client.on('connected', () => { if (++subscribed === count) console.log('ready'); });
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, k] = line.split(' ');
  if (command === 'expect') {
    expected = Number(k);
    check();
  }
}
