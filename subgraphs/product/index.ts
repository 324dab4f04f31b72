import type { SubgraphModule } from '../../core/subgraph.js';
import type { Context } from '../../core/context.js';
import { FeatureResolver } from './feature.resolver.js';
import { FeatureColumnsResolver } from './feature-columns.resolver.js';
import { ReleaseResolver } from './release.resolver.js';

export const product: SubgraphModule = {
  name: 'product',
  portOffset: 0,
  resolvers: [FeatureResolver, FeatureColumnsResolver, ReleaseResolver],
  references: {
    Feature: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.product.featureById.load(ref.id) },
    Release: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.product.releaseById.load(ref.id) },
  },
};
