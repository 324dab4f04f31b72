import type { SubgraphModule } from '../../core/subgraph.js';
import type { Context } from '../../core/context.js';
import { EndUserResolver } from './end-user.resolver.js';
import { ExperimentResolver } from './experiment.resolver.js';
import { FeatureAnalyticsResolver } from './feature.resolver.js';
import { FeatureAdoptionResolver } from './feature-adoption.resolver.js';
import { FeatureAdoptionColumnsResolver } from './feature-adoption-columns.resolver.js';
import { FeatureUsageResolver } from './feature-usage.resolver.js';
import { CompanyAnalyticsResolver } from './company.resolver.js';
import { MarketValidationResolver } from './market-validation.resolver.js';
import { RetentionReportResolver, UsageReportResolver } from './usage-report.resolver.js';
import { UsageEventResolver } from './usage-event.resolver.js';

export const analytics: SubgraphModule = {
  name: 'analytics',
  portOffset: 2,
  resolvers: [
    EndUserResolver, ExperimentResolver, FeatureAnalyticsResolver, FeatureAdoptionResolver, FeatureAdoptionColumnsResolver, FeatureUsageResolver, CompanyAnalyticsResolver,
    UsageReportResolver, RetentionReportResolver, MarketValidationResolver, UsageEventResolver,
  ],
  references: {
    EndUser: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.analytics.endUserById.load(ref.id) },
    Experiment: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.analytics.experimentById.load(ref.id) },
  },
};
