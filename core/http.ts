import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

const KEEP_ALIVE_MS = 65_000;

/** Who listens, for the message when the port is taken: e.g. `the gateway`, set by `PORT`. */
export interface ListenerName {
  what: string;
  variable: string;
}

/** A port taken by something else, said so that the reader knows which variable moves it. */
export function portInUse(error: unknown, port: number, host: string, name: ListenerName): Error {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return error as Error;
  return new Error(`${name.what} cannot listen on ${host}:${port}: something else uses that port. Stop it, or set ${name.variable} to move ${name.what} to a free port.`, { cause: error });
}

/** Listens on `port` (0 for any free one) and closes gracefully: open requests finish, idle sockets go. */
export async function listen(server: Server, port: number, host: string, path: string, name: ListenerName): Promise<Listening> {
  // Idle kept-alive connections stay open longer than any caller's pause between requests (Node's 5 s default
  // makes the gateway race the subgraph's close of a connection it is about to reuse).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    const refuse = (error: unknown) => reject(portInUse(error, port, host, name));
    server.once('error', refuse);
    server.listen(port, host, () => { server.off('error', refuse); resolve(); });
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
