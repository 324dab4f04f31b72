import { createDb } from '../../core/db.js';
import { logger } from '../../core/logger.js';
import { connectors } from '../../sync/connectors.js';
import { DEVELOPMENT_CREDENTIALS_KEYS, parseKeyRing } from '../../sync/credentials.js';
import { runStream } from '../../sync/run-stream.js';
import { TEST_RETRY } from './sync-retry.js';

/** A sync in a process of its own, for tests that kill it: `tsx sync-child.ts <db url> <tenant> <connection id> <vendor>`. */
const [url, tenantId, connectionId, vendor] = process.argv.slice(2);
const db = createDb({ url, poolSize: 3 });
const deps = { db, ring: parseKeyRing(DEVELOPMENT_CREDENTIALS_KEYS), connectors, log: logger(), backfillDays: 3_650, retry: TEST_RETRY, timeoutMs: 5_000 };
process.stdout.write('ready\n');
for (const stream of connectors.get(vendor)!.streams) {
  await runStream(deps, { tenantId, connectionId, stream: stream.name, mode: 'incremental' });
}
await db.destroy();
process.stdout.write('done\n');
