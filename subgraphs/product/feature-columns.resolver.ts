import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { FeatureColumns } from './feature-columns.type.js';
import { FeaturesArgs } from './feature.inputs.js';
import { featuresPage } from './feature.resolver.js';

@Resolver(() => FeatureColumns)
export class FeatureColumnsResolver {
  @Query(() => FeatureColumns, { description: 'The page `features` answers for the same arguments, one list per column (see FeatureColumns).' })
  async featureColumns(@Args(() => FeaturesArgs) args: FeaturesArgs, @Ctx() ctx: Context): Promise<FeatureColumns> {
    const page = await featuresPage(args, ctx);
    const features = page.edges.map((e) => e.node);
    return {
      ids: features.map((f) => f.id),
      names: features.map((f) => f.name),
      releasedAt: features.map((f) => f.releasedAt),
      pageInfo: page.pageInfo,
    };
  }
}
