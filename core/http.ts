import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

const KEEP_ALIVE_MS = 65_000;

/** Listens on `port` (0 for any free one) and closes gracefully: open requests finish, idle sockets go. */
export async function listen(server: Server, port: number, host: string, path = ''): Promise<Listening> {
  // Idle kept-alive connections stay open longer than any caller's pause between requests (Node's 5 s default
  // makes the gateway race the subgraph's close of a connection it is about to reuse).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const actual = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    server,
    port: actual,
    url: `http://${shownHost}:${actual}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  };
}
