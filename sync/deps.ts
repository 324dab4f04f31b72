import { config } from '../core/config.js';
import type { Db } from '../core/db.js';
import type { Logger } from '../core/logger.js';
import { connectors } from './connectors.js';
import { parseKeyRing } from './credentials.js';
import { DEFAULT_RETRY } from './retry.js';
import type { SyncDeps } from './run-stream.js';

/** The sync engine's dependencies as the environment configures them. */
export function syncDeps(db: Db, log: Logger): SyncDeps {
  const cfg = config();
  return {
    db, log, connectors,
    ring: parseKeyRing(cfg.CREDENTIALS_KEYS),
    backfillDays: cfg.SYNC_BACKFILL_DAYS,
    timeoutMs: cfg.SYNC_HTTP_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, maxAttempts: cfg.SYNC_MAX_ATTEMPTS, maxWaitMs: cfg.SYNC_MAX_RETRY_WAIT_SECONDS * 1000 },
  };
}
