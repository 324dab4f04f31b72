import type { Db } from '../core/db.js';
import { endUsersByIds } from '../subgraphs/analytics/end-user.repository.js';
import { experimentsByIds } from '../subgraphs/analytics/experiment.repository.js';
import {
  adoptingCompanyIds,
  tenantFeatureAdoption,
  featureUsageDays,
  featureUsageTotals,
  type FeatureAdoptionCounts,
  type FeatureUsageDayRow,
  type FeatureUsageTotals,
} from '../subgraphs/analytics/feature-usage.repository.js';
import { companyActiveUsers, type ProductActivity } from '../subgraphs/analytics/user-activity.repository.js';
import { usagePeriodCounts, type UsagePeriodCounts } from '../subgraphs/analytics/usage-report.repository.js';
import { keptProductActivity, tenantAdoptingCompanyCounts } from '../subgraphs/analytics/market-validation.repository.js';
import { calendarPeriods, type Granularity } from '../core/periods.js';
import { byId, byKept, byKey, perArgs } from './loader-kit.js';

const NO_ADOPTION: FeatureAdoptionCounts = Object.freeze({ activeUsers: 0, powerUsers: 0 });
const NO_USAGE: FeatureUsageTotals = Object.freeze({ events: 0, activeUsers: 0 });
const NONE: readonly never[] = Object.freeze([]);
const NO_ACTIVITY: ProductActivity = Object.freeze({ activeUsers: 0, activeCompanies: 0 });

/**
 * Analytics loaders. Window-dependent ones are `perArgs(fromDay)`: the first UTC date of the
 * window (from windowStart), so every parent asking for the same window is one statement.
 */
export function createAnalyticsLoaders(db: Db, tenantId: string) {
  return {
    endUserById: byId((ids) => endUsersByIds(db, tenantId, ids), (u) => u.id),
    experimentById: byId((ids) => experimentsByIds(db, tenantId, ids), (e) => e.id),
    /** Per feature, from the tenant's all-features answer for the window (kept across requests until the data changes). */
    featureAdoption: perArgs((fromDay: string) => byKept(() => tenantFeatureAdoption(db, tenantId, fromDay), NO_ADOPTION)),
    featureUsageTotals: perArgs((fromDay: string) => byKey((ids) => featureUsageTotals(db, tenantId, ids, fromDay), NO_USAGE)),
    featureUsageDays: perArgs((fromDay: string) =>
      byKey<readonly FeatureUsageDayRow[]>((ids) => featureUsageDays(db, tenantId, ids, fromDay), NONE),
    ),
    adoptingCompanyIds: perArgs((fromDay: string) =>
      byKey<readonly string[]>((ids) => adoptingCompanyIds(db, tenantId, ids, fromDay), NONE),
    ),
    /** Per feature, how many companies adopted it in the window (0: none), from the tenant's kept all-features answer. */
    adoptingCompanyCount: perArgs((fromDay: string) => byKey(() => tenantAdoptingCompanyCounts(db, tenantId, fromDay), 0)),
    /** Per feature, its usage report's counts per period: one statement for every feature asking the same periods. */
    usagePeriods: perArgs(({ from, to, granularity, timeZone }: { from: string; to: string; granularity: Granularity; timeZone: string }) =>
      byKey<readonly UsagePeriodCounts[]>((ids) => usagePeriodCounts(db, tenantId, ids, calendarPeriods(from, to, granularity), timeZone), NONE),
    ),
    companyActiveUsers: perArgs((fromDay: string) => byKey((ids) => companyActiveUsers(db, tenantId, ids, fromDay), 0)),
    /** Keyed by a window's first day: the product's active users and companies (the denominators of adoption and market validation), kept until end users change. */
    productActivity: byKey<ProductActivity>(
      async (fromDays) => new Map(await Promise.all(fromDays.map(async (day) => [day, await keptProductActivity(db, tenantId, day)] as const))),
      NO_ACTIVITY,
    ),
  };
}
