import type { Db } from '../core/db.js';
import type { PageArgs } from '../core/pagination.js';
import { emptyPage } from '../core/connection.js';
import { connectionsByIds, syncedAsOfByDomain } from '../subgraphs/integrations/connection.repository.js';
import { syncRunPagesByConnection } from '../subgraphs/integrations/sync-run.repository.js';
import { recordErrorPagesByConnection } from '../subgraphs/integrations/record-error.repository.js';
import type { SyncRun } from '../subgraphs/integrations/sync-run.type.js';
import type { RecordError } from '../subgraphs/integrations/record-error.type.js';
import { NO_WEBHOOKS, webhookStatsByConnection } from '../subgraphs/integrations/webhook-stats.repository.js';
import { byId, byKey, perArgs } from './loader-kit.js';

export function createIntegrationsLoaders(db: Db, tenantId: string) {
  return {
    connectionById: byId((ids) => connectionsByIds(db, tenantId, ids), (c) => c.id),
    /** By connection domain: the oldest last_success_at of its connections (see syncedAsOf). */
    domainSyncedAt: byKey<Date | null>((domains) => syncedAsOfByDomain(db, tenantId, domains), null),
    runsOfConnection: perArgs((page: PageArgs) =>
      byKey((ids) => syncRunPagesByConnection(db, tenantId, ids, page), emptyPage<SyncRun>()),
    ),
    webhooksOfConnection: byKey(async (ids) => new Map((await webhookStatsByConnection(db, tenantId, ids)).map((s) => [s.connectionId, s])), NO_WEBHOOKS),
    recordErrorsOfConnection: perArgs((page: PageArgs) =>
      byKey((ids) => recordErrorPagesByConnection(db, tenantId, ids, page), emptyPage<RecordError>()),
    ),
  };
}
