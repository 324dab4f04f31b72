import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { FeatureColumns } from './feature-columns.type.js';
import { MAX_FEATURE_COLUMNS } from '../../core/feature-columns.js';
import { FeatureColumnsArgs } from './feature.inputs.js';
import { featuresPage } from './feature.resolver.js';
import { COLUMN_PAGE_COLUMNS } from './feature.repository.js';

@Resolver(() => FeatureColumns)
export class FeatureColumnsResolver {
  @Query(() => FeatureColumns, { description: 'The page `features` answers for the same arguments, one list per column (see FeatureColumns).' })
  async featureColumns(@Args(() => FeatureColumnsArgs) args: FeatureColumnsArgs, @Ctx() ctx: Context): Promise<FeatureColumns> {
    const page = await featuresPage(args, ctx, MAX_FEATURE_COLUMNS, COLUMN_PAGE_COLUMNS);
    const features = page.edges.map((e) => e.node);
    return {
      ids: features.map((f) => f.id),
      names: features.map((f) => f.name),
      releasedAt: features.map((f) => f.releasedAt),
      pageInfo: page.pageInfo,
    };
  }
}
