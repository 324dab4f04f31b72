import type { Db } from '../core/db.js';
import { createProductLoaders } from './product.js';
import { createEngineeringLoaders } from './engineering.js';
import { createAnalyticsLoaders } from './analytics.js';
import { createSalesLoaders } from './sales.js';
import { createFinanceLoaders } from './finance.js';
import { createCustomerSuccessLoaders } from './customer-success.js';
import { createIntegrationsLoaders } from './integrations.js';

/** Every domain's DataLoaders for one request (or one subscription event): never shared across requests. */
export function createLoaders(db: Db, tenantId: string) {
  return {
    product: createProductLoaders(db, tenantId),
    engineering: createEngineeringLoaders(db, tenantId),
    analytics: createAnalyticsLoaders(db, tenantId),
    sales: createSalesLoaders(db, tenantId),
    finance: createFinanceLoaders(db, tenantId),
    customerSuccess: createCustomerSuccessLoaders(db, tenantId),
    integrations: createIntegrationsLoaders(db, tenantId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
