import { readFile } from 'node:fs/promises';
import type { Db, TenantDatabases } from '../core/db.js';
import { buildSubgraph, serveSubgraph, type RunningSubgraph } from '../core/subgraph.js';
import { subgraphs } from '../subgraphs/index.js';
import { SUPERGRAPH_FILE } from '../schema/compose.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';

export interface StackOptions {
  /** Serving connections: each request's queries run as its tenant (row-level security). */
  databases: TenantDatabases;
  /** The owner's connection and its URL, for the gateway's webhook intake and subscriptions. */
  db: Db;
  databaseUrl: string;
  host: string;
  gatewayPort: number;
  /** Subgraph i listens on base + its offset; 0 gives each a free port. */
  subgraphPortBase: number;
}

export interface Stack {
  gateway: RunningGateway;
  subgraphs: Map<string, RunningSubgraph>;
  stop(): Promise<void>;
}

/** Every subgraph on its own port and the gateway over them, in one process. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const running = new Map<string, RunningSubgraph>();
  try {
    for (const module of subgraphs) {
      const port = options.subgraphPortBase === 0 ? 0 : options.subgraphPortBase + module.portOffset;
      running.set(module.name, await serveSubgraph(await buildSubgraph(module), { databases: options.databases, port, host: options.host }));
    }
    const gateway = await startGateway({
      supergraphSdl: await readFile(SUPERGRAPH_FILE, 'utf8'),
      subgraphUrls: Object.fromEntries([...running].map(([name, s]) => [name, s.url])),
      port: options.gatewayPort,
      host: options.host,
      db: options.db,
      databaseUrl: options.databaseUrl,
    });
    return {
      gateway,
      subgraphs: running,
      stop: async () => {
        await gateway.close();
        await Promise.all([...running.values()].map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.all([...running.values()].map((s) => s.close()));
    throw error;
  }
}
