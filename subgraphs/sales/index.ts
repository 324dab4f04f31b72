import type { SubgraphModule } from '../../core/subgraph.js';
import type { Context } from '../../core/context.js';
import { CompanyResolver } from './company.resolver.js';
import { DealResolver } from './deal.resolver.js';
import { AdoptionRevenueResolver, FeatureRevenueResolver, RevenueByAdoptionResolver } from './feature.resolver.js';
import { PipelineReportResolver, PipelineStageResolver } from './pipeline.resolver.js';
import { FeatureStub } from './stubs/feature.stub.js';

export const sales: SubgraphModule = {
  name: 'sales',
  portOffset: 3,
  resolvers: [CompanyResolver, DealResolver, FeatureRevenueResolver, RevenueByAdoptionResolver, AdoptionRevenueResolver, PipelineReportResolver, PipelineStageResolver],
  // Nothing of sales returns a Feature: listed so its stub (and associatedRevenue) is in the schema.
  orphanedTypes: [FeatureStub],
  references: {
    Company: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.sales.companyById.load(ref.id) },
    Deal: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.sales.dealById.load(ref.id) },
  },
};
