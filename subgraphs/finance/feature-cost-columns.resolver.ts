import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Scope } from '../../core/auth.js';
import type { Context } from '../../core/context.js';
import { featureColumnIds } from '../../core/feature-columns.js';
import { RequiresScopes } from '../../core/scopes.js';
import { FeatureCostColumns } from './feature-cost-columns.type.js';
import { costOf } from './feature.resolver.js';

@Resolver(() => FeatureCostColumns)
export class FeatureCostColumnsResolver {
  @RequiresScopes(Scope.FinancialRead)
  @Query(() => FeatureCostColumns, {
    description: 'Feature.cost of up to a page of features (`featureIds`, e.g. FeatureColumns.ids), one list per field. Feature.roi is (associatedRevenue - cost) / cost of the same feature, null when cost is 0.',
  })
  async featureCostColumns(@Arg('featureIds', () => [ID]) featureIds: string[], @Ctx() ctx: Context): Promise<FeatureCostColumns> {
    const costs = await costOf(featureColumnIds(featureIds), ctx);
    return { amounts: costs.map((c) => c.amount), currencies: costs.map((c) => c.currency) };
  }
}
