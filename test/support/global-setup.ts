import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../core/db.js';
import { databaseUrl, dropDatabase, ensureDatabase, startPostgres } from '../../core/postgres.js';
import { migrateToLatest } from '../../schema/migrate.js';
import { seedTenants } from '../../seed/index.js';
import { TEST_TENANTS } from './tenants.js';
import { scanForSecrets } from './secret-scan.js';
import { serverTempDir } from './temp-dir.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    secretScanDir: string;
  }
}

/**
 * One Postgres for the run (DATABASE_URL's server, else an embedded one in a temporary
 * directory), one fresh database in it, migrated and seeded once; dropped at the end.
 */
export default async function setup(project: TestProject) {
  const dataDir = await serverTempDir('product-graph-test-');
  const postgres = await startPostgres({ databaseUrl: process.env.DATABASE_URL, dataDir: path.join(dataDir, 'pg'), persistent: false });
  const database = `product_graph_test_${process.pid}`;
  await dropDatabase(postgres.serverUrl, database);
  await ensureDatabase(postgres.serverUrl, database);
  const url = databaseUrl(postgres.serverUrl, database);
  const db = createDb({ url });
  try {
    await migrateToLatest(db);
    await seedTenants(db, { url, scale: 'small', tenants: [...TEST_TENANTS] });
  } finally {
    await db.destroy();
  }
  project.provide('databaseUrl', url);
  const scanDir = await mkdtemp(path.join(os.tmpdir(), 'product-graph-scan-'));
  project.provide('secretScanDir', scanDir);
  return async () => {
    await dropDatabase(postgres.serverUrl, database);
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
    // Nothing the suite logged or was answered may hold a token or a credential.
    const { lines, findings } = await scanForSecrets(scanDir);
    await rm(scanDir, { recursive: true, force: true });
    const failure = lines === 0 ? 'The secret scan found no logs or responses to read: logging to files is not working.'
      : findings.length ? `Secrets in logs or responses:\n${findings.slice(0, 20).join('\n')}` : null;
    // Vitest only reports an error thrown here and still exits 0: the run must fail.
    if (failure) {
      console.error(failure);
      process.exit(1);
    }
  };
}
