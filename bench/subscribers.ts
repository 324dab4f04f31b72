import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
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
// graphql-ws's protocol spoken directly over `ws`, as a remote client's library would: these
// subscribers stand in for clients on other machines, so they spend as little of this machine's
// CPU as they can while still parsing and checking every frame.
for (let i = 0; i < count; i++) {
  const socket = new WebSocket(values.url!, 'graphql-transport-ws');
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${values.token}` } })));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; id?: string; payload?: { data?: { featureReleased?: { name?: string } } | null; errors?: unknown } };
    if (message.type === 'connection_ack') {
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
      if (++subscribed === count) console.log('ready');
      return;
    }
    if (message.type === 'ping') return socket.send('{"type":"pong"}');
    if (message.type !== 'next' || message.id !== '1' || message.payload?.errors) {
      console.error('subscriber got', String(data).slice(0, 300));
      process.exit(1);
    }
    const name = message.payload?.data?.featureReleased?.name ?? '';
    // The warm-up burst's releases (named "Warmup …") are not counted.
    if (!name.startsWith('Bench ')) return;
    cpuAtFirst ??= process.cpuUsage();
    latencies.push(Date.now() - Number(name.split(' ')[1]));
    received[i]++;
    check();
  });
  socket.on('close', (code) => { if (!done) { console.error('subscriber closed', code); process.exit(1); } });
  socket.on('error', (error) => { console.error('subscriber error', error); process.exit(1); });
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, k] = line.split(' ');
  if (command === 'expect') {
    expected = Number(k);
    check();
  }
}
