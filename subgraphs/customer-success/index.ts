import type { SubgraphModule } from '../../core/subgraph.js';
import type { Context } from '../../core/context.js';
import { FeedbackResolver } from './feedback.resolver.js';
import { CompanyHealthResolver, HealthScoreResolver } from './health-score.resolver.js';
import { FeatureFeedbackResolver } from './feature.resolver.js';

export const customerSuccess: SubgraphModule = {
  name: 'customer-success',
  portOffset: 5,
  resolvers: [FeedbackResolver, HealthScoreResolver, CompanyHealthResolver, FeatureFeedbackResolver],
  references: {
    HealthScore: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.customerSuccess.healthScoreById.load(ref.id) },
    Feedback: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.customerSuccess.feedbackById.load(ref.id) },
  },
};
