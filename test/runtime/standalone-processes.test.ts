import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { ALL_SCOPES, signToken } from '../../core/auth.js';
import { createTenantDatabases, type TenantDatabases } from '../../core/db.js';
import { buildSubgraph, serveSubgraph, type RunningSubgraph } from '../../core/subgraph.js';
import { subgraphs } from '../../subgraphs/index.js';
import { TENANT_A } from '../support/tenants.js';

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `script` as its own process (as `npm run subgraph` / `npm run gateway` do) and waits until `/healthz` at `port` answers. */
async function startProcess(script: string, args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode} before it was ready:\n${stderr.slice(-2_000)}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((res) => res.ok, () => false);
    if (healthy) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopProcess(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

/**
 * The deployment that scales each domain apart: a subgraph in a process of its own and the gateway
 * in another, found through SUBGRAPH_URL_<NAME>. The other subgraphs run in this process.
 */
describe('the gateway and a subgraph each in a process of their own', () => {
  let databases: TenantDatabases;
  const inProcess: RunningSubgraph[] = [];
  let product: ChildProcess;
  let gateway: ChildProcess;
  let gatewayUrl: string;

  beforeAll(async () => {
    const databaseUrl = inject('databaseUrl');
    databases = createTenantDatabases({ url: databaseUrl, poolSize: 4 });
    const urls: Record<string, string> = {};
    for (const module of subgraphs.filter((s) => s.name !== 'product')) {
      const running = await serveSubgraph(await buildSubgraph(module), { databases, port: 0, host: '127.0.0.1' });
      inProcess.push(running);
      urls[`SUBGRAPH_URL_${module.name.toUpperCase().replace(/-/g, '_')}`] = running.url;
    }
    const productPort = await freePort();
    const productOffset = subgraphs.find((s) => s.name === 'product')!.portOffset;
    const shared = { DATABASE_URL: databaseUrl, HOST: '127.0.0.1' };
    product = await startProcess('cli/subgraph.ts', ['product'], { ...shared, SUBGRAPH_PORT_BASE: String(productPort - productOffset) }, productPort);
    const gatewayPort = await freePort();
    gateway = await startProcess('cli/gateway.ts', [], {
      ...shared, ...urls, PORT: String(gatewayPort), SUBGRAPH_URL_PRODUCT: `http://127.0.0.1:${productPort}/graphql`,
    }, gatewayPort);
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([gateway, product].filter(Boolean).map(stopProcess));
    await Promise.all(inProcess.map((s) => s.close()));
    await databases?.destroy();
  });

  it('answers a query that joins the standalone subgraph with the others, and both stop cleanly', async () => {
    const token = await signToken({ tenantId: TENANT_A, scopes: [...ALL_SCOPES] });
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ features(first: 2, filter: { status: [RELEASED] }) { totalCount edges { node { id name adoption { activeUsers } } } } }' }),
    });
    const body = (await res.json()) as { data?: { features: { totalCount: number; edges: { node: { name: string; adoption: { activeUsers: number } } }[] } }; errors?: unknown[] };
    expect(res.status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.features.totalCount).toBeGreaterThan(0);
    expect(body.data!.features.edges[0].node.name).toEqual(expect.any(String));
    expect(body.data!.features.edges[0].node.adoption.activeUsers).toEqual(expect.any(Number));

    expect(await stopProcess(gateway)).toBe(0);
    expect(await stopProcess(product)).toBe(0);
  });
});

describe('the sync worker in a process of its own', () => {
  it('stops cleanly on SIGTERM, as a deployment stops it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/sync.ts', 'worker'], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), SYNC_INTERVAL_MINUTES: '60' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk) => { stderr += chunk; });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('Sync worker running')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the worker exited with ${code} before it ran:\n${stderr.slice(-2_000)}`)));
    });
    expect(await stopProcess(child)).toBe(0);
  });
});
