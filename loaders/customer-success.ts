import type { Db } from '../core/db.js';
import type { PageArgs } from '../core/pagination.js';
import { emptyPage } from '../core/connection.js';
import { monthlyRecurringRevenue } from '../core/recurring-revenue.js';
import {
  NO_SATISFACTION,
  feedbackByIds,
  feedbackPagesByFeature,
  healthScoresByIds,
  latestHealthByCompany,
  latestScoreByCompany,
  type CompanyScore,
  satisfactionByFeature,
} from '../subgraphs/customer-success/customer-success.repository.js';
import type { Feedback, FeedbackKind } from '../subgraphs/customer-success/feedback.type.js';
import type { HealthScore } from '../subgraphs/customer-success/health-score.type.js';
import { byId, byKey, byKeyList, perArgs } from './loader-kit.js';

export function createCustomerSuccessLoaders(db: Db, tenantId: string) {
  return {
    healthScoreById: byId((ids) => healthScoresByIds(db, tenantId, ids), (h) => h.id),
    feedbackById: byId((ids) => feedbackByIds(db, tenantId, ids), (f) => f.id),
    latestHealth: byKey<HealthScore | null>((ids) => latestHealthByCompany(db, tenantId, ids), null),
    /** Of lists of companies, each one's newest score measured at or before an instant (ISO text; null: any): every segment asking the same instant at once. */
    scoresAt: perArgs((at: string | null) => byKeyList<CompanyScore>((ids) => latestScoreByCompany(db, tenantId, ids, at === null ? null : new Date(at)))),
    /** Of lists of companies (a segment's), the MRR of those with any, as finance states it: every list asked at once in one statement. */
    mrrOfCompanies: byKeyList((ids) => monthlyRecurringRevenue(db, tenantId, ids)),
    feedbackOfFeature: perArgs((args: PageArgs & { kind: FeedbackKind | null }) =>
      byKey((ids) => feedbackPagesByFeature(db, tenantId, ids, args.kind, args), emptyPage<Feedback>()),
    ),
    satisfactionOfFeature: byKey((ids) => satisfactionByFeature(db, tenantId, ids), NO_SATISFACTION),
  };
}
