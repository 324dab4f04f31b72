import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express, { type Express } from 'express';
import type { Faults } from './faults.js';

export interface RunningSimulator {
  url: string;
  close(): Promise<void>;
}

/**
 * The control API every simulator has beside the vendor's own paths: read its counters and set
 * its faults over HTTP (`POST /__simulator/faults` with a FaultPlan), for people poking by hand.
 */
export function controlRoutes(app: Express, faults: Faults): void {
  app.get('/__simulator/stats', (_req, res) => { res.json(faults.stats); });
  app.post('/__simulator/faults', express.json(), (req, res) => { faults.set(req.body ?? {}); res.json(faults.plan); });
}

/** Listens on `port` (0: any free one) and closes every open socket on close, hung ones included. */
export async function listen(app: Express, port = 0, host = '127.0.0.1'): Promise<RunningSimulator> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${bound}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
