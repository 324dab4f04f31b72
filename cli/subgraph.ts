import 'reflect-metadata';
import { config } from '../core/config.js';
import { openDatabase } from '../core/bootstrap.js';
import { createTenantDatabases } from '../core/db.js';
import { logger } from '../core/logger.js';
import { buildSubgraph, serveSubgraph } from '../core/subgraph.js';
import { subgraphs } from '../subgraphs/index.js';

/** `npm run subgraph -- <name>`: one subgraph as its own process (scale each domain separately). */
const name = process.argv[2];
const module = subgraphs.find((s) => s.name === name);
if (!module) {
  console.error(`Usage: npm run subgraph -- <${subgraphs.map((s) => s.name).join('|')}>`);
  process.exit(2);
}
const cfg = config();
if (!cfg.DATABASE_URL) {
  console.error('A subgraph on its own needs DATABASE_URL (the shared Postgres); `npm start` runs everything with an embedded one.');
  process.exit(2);
}
const database = await openDatabase();
const serving = createTenantDatabases({ url: database.url, poolSize: cfg.DATABASE_POOL_SIZE, keepOpen: cfg.DATABASE_POOL_MIN, statementTimeoutMs: cfg.STATEMENT_TIMEOUT_MS });
const running = await serveSubgraph(await buildSubgraph(module), { databases: serving, port: cfg.SUBGRAPH_PORT_BASE + module.portOffset, host: cfg.HOST });
logger().info({ subgraph: module.name, url: running.url }, 'subgraph listening');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => { await running.close(); await serving.destroy(); await database.close(); process.exit(0); });
}
