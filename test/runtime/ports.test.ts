import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createTenantDatabases, type TenantDatabases } from '../../core/db.js';
import { buildSubgraph, serveSubgraph } from '../../core/subgraph.js';
import { startSimulators, SIMULATED_VENDORS } from '../../simulators/index.js';
import { buildWorld } from '../../simulators/shared/world.js';
import { subgraphs } from '../../subgraphs/index.js';

/** A newcomer's first `npm start` often meets a port another program holds: the message says which variable moves ours. */
describe('a port that something else holds', () => {
  let taken: net.Server;
  let port: number;
  let databases: TenantDatabases;

  beforeAll(async () => {
    taken = net.createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    port = (taken.address() as net.AddressInfo).port;
    databases = createTenantDatabases({ url: inject('databaseUrl'), poolSize: 1 });
  });

  afterAll(async () => {
    taken.close();
    await databases.destroy();
  });

  it('refuses a subgraph with the variable that moves it', async () => {
    const product = subgraphs.find((s) => s.name === 'product')!;
    await expect(serveSubgraph(await buildSubgraph(product), { databases, port, host: '127.0.0.1' }))
      .rejects.toThrow(`the product subgraph cannot listen on 127.0.0.1:${port}: something else uses that port. Stop it, or set SUBGRAPH_PORT_BASE`);
  });

  it('refuses a simulator with the variable that moves it', async () => {
    const world = await buildWorld({ tenant: 'ports', scale: 'small', anchor: new Date('2026-11-01T00:00:00Z') });
    const [first] = SIMULATED_VENDORS;
    await expect(startSimulators(world, port, [first])).rejects.toThrow(`the ${first} simulator cannot listen on 127.0.0.1:${port}: something else uses that port. Stop it, or set SIMULATOR_PORT_BASE`);
  });
});
