import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

// Kept-alive connections, the most recently used first: a burst reuses the warm ones.
const transports = {
  'http:': { request: http.request, agent: new http.Agent({ keepAlive: true, scheduling: 'lifo' }) },
  'https:': { request: https.request, agent: new https.Agent({ keepAlive: true, scheduling: 'lifo' }) },
};

/** A response read whole, as the data source reads it: once, as text or JSON. */
function responseOf(url: string, res: http.IncomingMessage, body: Buffer): FetcherResponse {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const status = res.statusCode ?? 0;
  return {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText: res.statusMessage ?? '',
    headers,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')),
    clone: () => responseOf(url, res, body),
  };
}

/**
 * The gateway's requests to its subgraphs over plain Node HTTP with kept-alive connections: the default
 * fetcher (make-fetch-happen, a caching and retrying HTTP client) costs several times the CPU per request
 * for features a subgraph call never uses. Errors keep Node's `code` (ECONNRESET, EPIPE) for the caller.
 */
export const subgraphFetch: Fetcher = (url, init = {}) => new Promise((resolve, reject) => {
  const target = new URL(url);
  const transport = transports[target.protocol as keyof typeof transports];
  if (!transport) return reject(new Error(`a subgraph URL must be http or https, not ${target.protocol}`));
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
  const headers: Record<string, string | number> = { ...init.headers };
  if (body) headers['content-length'] = body.length;
  const req = transport.request(target, { method: init.method ?? 'GET', headers, agent: transport.agent }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(responseOf(url, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))));
    res.on('error', reject);
  });
  req.on('error', reject);
  req.end(body);
});
