import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { featureColumnIds } from '../../core/feature-columns.js';
import { MAX_WINDOW_DAYS } from '../../core/windows.js';
import { FeatureAdoptionColumns } from './feature-adoption-columns.type.js';
import { ADOPTION_WINDOW_DAYS, adoptionRate, usageWindow } from './metrics.js';

@Resolver(() => FeatureAdoptionColumns)
export class FeatureAdoptionColumnsResolver {
  @Query(() => FeatureAdoptionColumns, {
    description: 'Feature.adoption(days) of up to a page of features (`featureIds`, e.g. FeatureColumns.ids), one list per field, from the same kept answers.',
  })
  async featureAdoptionColumns(
    @Arg('featureIds', () => [ID]) featureIds: string[],
    @Arg('days', () => Int, { defaultValue: ADOPTION_WINDOW_DAYS, description: `Trailing window in days, 1 to ${MAX_WINDOW_DAYS}, as Feature.adoption.` }) days: number,
    @Ctx() ctx: Context,
  ): Promise<FeatureAdoptionColumns> {
    const ids = featureColumnIds(featureIds);
    const { fromDay } = usageWindow(days);
    const loader = ctx.loaders.analytics.featureAdoption(fromDay);
    const [counts, product] = await Promise.all([loader.many(ids), ctx.loaders.analytics.productActivity.load(fromDay)]);
    return {
      activeUsers: counts.map((c) => c.activeUsers),
      productActiveUsers: product.activeUsers,
      adoptionRate: counts.map((c) => adoptionRate(c.activeUsers, product.activeUsers)),
      powerUsers: counts.map((c) => c.powerUsers),
    };
  }
}
