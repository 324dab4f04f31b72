import type { Logger } from '../core/logger.js';
import { createAuthProvider } from './auth.js';
import { requestBudget } from './budget.js';
import type { Connector } from './connector.js';
import { readCredentials, saveCredentials, type ConnectionRow } from './connection-store.js';
import { VendorHttp } from './http-client.js';
import type { SyncDeps } from './run-stream.js';

/**
 * The one API client of a connection: its credentials (OAuth tokens refreshed and stored as they
 * rotate), its vendor's rate-limit signals and its share of the request budget.
 */
export function connectionHttp(deps: SyncDeps, connection: ConnectionRow, connector: Connector, log: Logger, signal: AbortSignal): VendorHttp {
  const baseUrl = connection.base_url ?? connector.defaultBaseUrl;
  const auth = createAuthProvider(connector.auth, readCredentials(deps.ring, connection), {
    baseUrl, fetch: deps.fetch, timeoutMs: deps.timeoutMs,
    save: (credentials) => saveCredentials(deps.db, deps.ring, connection.tenant_id, connection.id, credentials),
  });
  const config = (connection.config ?? {}) as Record<string, unknown>;
  return new VendorHttp({
    baseUrl, auth, budget: requestBudget(connection.id, Number(config.requestsPerSecond) || connector.requestsPerSecond), signals: connector.signals,
    headers: connector.headers, retry: deps.retry, timeoutMs: deps.timeoutMs, log, signal, fetch: deps.fetch,
  });
}
