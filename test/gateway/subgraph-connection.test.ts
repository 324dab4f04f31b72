import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SubgraphSource } from '../../gateway/subgraph-source.js';

/** A subgraph stand-in that resets the connection of the first `resets` requests, then answers. */
async function resettingServer(resets: number) {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      received.push(body);
      if (received.length <= resets) return req.socket.destroy();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { ok: true } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

describe('the gateway calling a subgraph whose connection resets', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  async function send(resets: number, query: string) {
    const subgraph = await resettingServer(resets);
    close = () => subgraph.server.close();
    const source = new SubgraphSource('product', subgraph.url);
    const result = source.fetcher(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
      .then(async (res) => (await res.json()) as unknown, (error: { code?: string }) => ({ failed: error.code }));
    return { result: await result, received: subgraph.received };
  }

  it('sends a query again once on a fresh connection', async () => {
    const { result, received } = await send(1, '{ features { id } }');
    expect(result).toEqual({ data: { ok: true } });
    expect(received).toHaveLength(2);
  });

  it('gives up after the second reset', async () => {
    const { result, received } = await send(2, 'query Q { features { id } }');
    expect(result).toEqual({ failed: 'ECONNRESET' });
    expect(received).toHaveLength(2);
  });

  it('never sends a mutation twice', async () => {
    const { result, received } = await send(1, 'mutation { pauseConnection(id: "x") { id } }');
    expect(result).toEqual({ failed: 'ECONNRESET' });
    expect(received).toHaveLength(1);
  });
});

describe('the gateway calling a subgraph that goes away mid-answer', () => {
  it('refuses the partial answer instead of waiting for the rest', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"data":{"fea');
        setTimeout(() => res.socket?.destroy(), 20);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    try {
      const source = new SubgraphSource('product', url);
      const outcome = await source.fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ features { id } }' }) })
        .then(async (res) => ({ body: await res.text() }), (error: Error) => ({ failed: error.message }));
      expect(outcome).toEqual({ failed: 'aborted' });
    } finally {
      server.close();
    }
  });
});
