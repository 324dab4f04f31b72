import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscriber {
  events: ExecutionResult<Record<string, any>, Record<string, any>>[];
  closed: Promise<{ code: number; reason: string }>;
  client: Client;
  next(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

/** A graphql-ws client subscribed through the gateway, collecting what it receives. */
export async function subscribe(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<Subscriber> {
  const events: Subscriber['events'] = [];
  let resolveClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => { resolveClosed = resolve; });
  let acknowledged!: () => void;
  const ready = new Promise<void>((resolve) => { acknowledged = resolve; });
  const client = createClient({
    url: wsUrl(url), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0, lazy: false, onNonLazyError: () => {},
    on: { connected: () => acknowledged(), closed: (event) => { const e = event as { code: number; reason: string }; resolveClosed({ code: e.code, reason: e.reason }); acknowledged(); } },
  });
  client.subscribe({ query, variables }, { next: (value) => { events.push(value as Subscriber['events'][number]); }, error: () => {}, complete: () => {} });
  await ready;
  // The subscription is registered once the server has read it: a round trip on the same socket.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return {
    events, closed, client,
    async next(count, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} events, got ${events.length}: ${JSON.stringify(events).slice(0, 500)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop: () => client.dispose() as Promise<void>,
  };
}

