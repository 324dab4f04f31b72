import type { SubgraphModule } from '../../core/subgraph.js';
import type { Context } from '../../core/context.js';
import { CompanyResolver } from './company.resolver.js';
import { DealResolver } from './deal.resolver.js';
import { CompanySegment } from './company.type.js';
import { AdoptionRevenueResolver, FeatureRevenueResolver, RevenueByAdoptionResolver } from './feature.resolver.js';
import { CustomerSegmentResolver, customerSegments } from './customer-segment.resolver.js';
import { PipelineReportResolver, PipelineStageResolver } from './pipeline.resolver.js';
import { FeatureStub } from './stubs/feature.stub.js';
import { AssociatedRevenueColumnsResolver } from './associated-revenue-columns.resolver.js';

export const sales: SubgraphModule = {
  name: 'sales',
  portOffset: 3,
  resolvers: [CompanyResolver, DealResolver, FeatureRevenueResolver, AssociatedRevenueColumnsResolver, RevenueByAdoptionResolver, AdoptionRevenueResolver, PipelineReportResolver, PipelineStageResolver, CustomerSegmentResolver],
  // Nothing of sales returns a Feature: listed so its stub (and associatedRevenue) is in the schema.
  orphanedTypes: [FeatureStub],
  references: {
    Company: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.sales.companyById.load(ref.id) },
    Deal: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.sales.dealById.load(ref.id) },
    CustomerSegment: {
      // A representation carries the enum's GraphQL name ('MID_MARKET').
      __resolveReference: async (ref: { segment: keyof typeof CompanySegment }, ctx: Context) =>
        (await customerSegments(ctx, [CompanySegment[ref.segment]], {}))[0] ?? null,
    },
  },
};
