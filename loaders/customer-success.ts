import type { Db } from '../core/db.js';
import type { PageArgs } from '../core/pagination.js';
import { emptyPage } from '../core/connection.js';
import {
  NO_SATISFACTION,
  feedbackByIds,
  feedbackPagesByFeature,
  healthScoresByIds,
  latestHealthByCompany,
  satisfactionByFeature,
} from '../subgraphs/customer-success/customer-success.repository.js';
import type { Feedback, FeedbackKind } from '../subgraphs/customer-success/feedback.type.js';
import type { HealthScore } from '../subgraphs/customer-success/health-score.type.js';
import { byId, byKey, perArgs } from './loader-kit.js';

export function createCustomerSuccessLoaders(db: Db, tenantId: string) {
  return {
    healthScoreById: byId((ids) => healthScoresByIds(db, tenantId, ids), (h) => h.id),
    feedbackById: byId((ids) => feedbackByIds(db, tenantId, ids), (f) => f.id),
    latestHealth: byKey<HealthScore | null>((ids) => latestHealthByCompany(db, tenantId, ids), null),
    /** Per company, its newest score measured at or before an instant (ISO text): every segment asking the same instant at once. */
    healthAt: perArgs((at: string) => byKey<HealthScore | null>((ids) => latestHealthByCompany(db, tenantId, ids, new Date(at)), null)),
    feedbackOfFeature: perArgs((args: PageArgs & { kind: FeedbackKind | null }) =>
      byKey((ids) => feedbackPagesByFeature(db, tenantId, ids, args.kind, args), emptyPage<Feedback>()),
    ),
    satisfactionOfFeature: byKey((ids) => satisfactionByFeature(db, tenantId, ids), NO_SATISFACTION),
  };
}
