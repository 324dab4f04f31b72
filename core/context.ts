import type { Db } from './db.js';
import type { Logger } from './logger.js';
import type { Loaders } from '../loaders/index.js';

/** Headers by which the gateway tells a subgraph who is asking. */
export const TENANT_HEADER = 'x-tenant-id';
export const SCOPES_HEADER = 'x-scopes';
export const REQUEST_ID_HEADER = 'x-request-id';

/** What every subgraph resolver receives: the caller's tenant, the database and this request's loaders. */
export interface Context {
  tenantId: string;
  scopes: ReadonlySet<string>;
  requestId: string;
  db: Db;
  loaders: Loaders;
  log: Logger;
}
