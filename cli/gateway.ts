import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { config } from '../core/config.js';
import { createDb } from '../core/db.js';
import { logger } from '../core/logger.js';
import { startGateway } from '../gateway/server.js';
import { SUPERGRAPH_FILE } from '../schema/compose.js';

/**
 * `npm run gateway`: the gateway on its own over subgraphs running elsewhere. Each subgraph's
 * URL comes from SUBGRAPH_URL_<NAME> (e.g. SUBGRAPH_URL_CUSTOMER_SUCCESS), else the supergraph's.
 * DATABASE_URL names the shared database, for webhook intake and subscriptions.
 */
const cfg = config();
if (!cfg.DATABASE_URL) throw new Error('DATABASE_URL must be set: the gateway on its own needs the shared database for webhooks and subscriptions.');
const db = createDb({ url: cfg.DATABASE_URL, poolSize: cfg.DATABASE_POOL_SIZE, keepOpen: cfg.DATABASE_POOL_MIN });
const supergraphSdl = await readFile(SUPERGRAPH_FILE, 'utf8');
const gateway = await startGateway({ supergraphSdl, subgraphUrls: { ...cfg.SUBGRAPH_URLS }, port: cfg.PORT, host: cfg.HOST, db, databaseUrl: cfg.DATABASE_URL });
logger().info({ url: gateway.url }, 'gateway listening');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => { await gateway.close(); await db.destroy(); process.exit(0); });
}
