import { readFile } from 'node:fs/promises';
import { config } from '../core/config.js';
import { logger } from '../core/logger.js';
import { startGateway } from '../gateway/server.js';
import { SUPERGRAPH_FILE } from '../schema/compose.js';

/**
 * `npm run gateway`: the gateway on its own over subgraphs running elsewhere. Each subgraph's
 * URL comes from SUBGRAPH_URL_<NAME> (e.g. SUBGRAPH_URL_CUSTOMER_SUCCESS), else the supergraph's.
 */
const cfg = config();
const supergraphSdl = await readFile(SUPERGRAPH_FILE, 'utf8');
const gateway = await startGateway({ supergraphSdl, subgraphUrls: { ...cfg.SUBGRAPH_URLS }, port: cfg.PORT, host: cfg.HOST });
logger().info({ url: gateway.url }, 'gateway listening');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => { await gateway.close(); process.exit(0); });
}
