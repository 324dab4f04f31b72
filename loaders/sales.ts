import type { Db } from '../core/db.js';
import type { PageArgs } from '../core/pagination.js';
import { emptyPage } from '../core/connection.js';
import { companiesByIds, identitiesByCompany } from '../subgraphs/sales/company.repository.js';
import {
  dealPagesByCompany, dealsByIds, type CompanyDealTotal, type WonDealTotal,
} from '../subgraphs/sales/deal.repository.js';
import type { CompanyIdentity } from '../subgraphs/sales/company-identity.type.js';
import type { Deal } from '../subgraphs/sales/deal.type.js';
import { associatedRevenueByFeature } from '../subgraphs/sales/associated-revenue.repository.js';
import { adoptingWonDealsByFeature, keptTenantWonDealTotal } from '../subgraphs/sales/revenue-by-adoption.repository.js';
import { byId, byKept, byKey, perArgs } from './loader-kit.js';

export function createSalesLoaders(db: Db, tenantId: string) {
  let tenantWon: Promise<WonDealTotal> | undefined;
  return {
    companyById: byId((ids) => companiesByIds(db, tenantId, ids), (c) => c.id),
    dealById: byId((ids) => dealsByIds(db, tenantId, ids), (d) => d.id),
    dealsOfCompany: perArgs((page: PageArgs) => byKey((ids) => dealPagesByCompany(db, tenantId, ids, page), emptyPage<Deal>())),
    identitiesOfCompany: byKey<readonly CompanyIdentity[]>((ids) => identitiesByCompany(db, tenantId, ids), []),
    /** Per feature, the positive deal amounts of its adopting companies in the window starting `fromDay` (null: none). */
    associatedRevenue: perArgs((fromDay: string) => byKept<CompanyDealTotal | null>(() => associatedRevenueByFeature(db, tenantId, fromDay), null)),
    /** Per feature, its adopting companies in the window starting `fromDay` and their won deals (null: none), from the tenant's kept answer. */
    adoptingWonDeals: perArgs((fromDay: string) => byKey<WonDealTotal | null>(() => adoptingWonDealsByFeature(db, tenantId, fromDay), null)),
    /** Every company of the tenant and its won deals: once per request, kept across requests until companies or deals change. */
    tenantWonDealTotal: () => (tenantWon ??= keptTenantWonDealTotal(db, tenantId)),
  };
}
