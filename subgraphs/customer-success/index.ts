import type { SubgraphModule } from '../../core/subgraph.js';
import type { Context } from '../../core/context.js';
import { FeedbackResolver } from './feedback.resolver.js';
import { CompanyHealthResolver, HealthScoreResolver } from './health-score.resolver.js';
import { CustomerSegmentStub } from './stubs/customer-segment.stub.js';
import { FeatureFeedbackResolver } from './feature.resolver.js';
import { SegmentArrAtRiskResolver, SegmentHealthAsOfResolver, SegmentHealthResolver } from './segment-health.resolver.js';

export const customerSuccess: SubgraphModule = {
  name: 'customer-success',
  portOffset: 5,
  resolvers: [
    FeedbackResolver, HealthScoreResolver, CompanyHealthResolver, FeatureFeedbackResolver,
    SegmentHealthResolver, SegmentHealthAsOfResolver, SegmentArrAtRiskResolver,
  ],
  // Nothing of customer success returns a CustomerSegment: listed so its stub (and health by segment) is in the schema.
  orphanedTypes: [CustomerSegmentStub],
  references: {
    HealthScore: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.customerSuccess.healthScoreById.load(ref.id) },
    Feedback: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.customerSuccess.feedbackById.load(ref.id) },
  },
};
