import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { FeatureUsage, FeatureUsageDay } from './feature-usage.type.js';

@Resolver(() => FeatureUsage)
export class FeatureUsageResolver {
  @FieldResolver(() => Int, { description: "Sum of event_count of the feature's rollup rows in the window." })
  async events(@Root() u: FeatureUsage, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.analytics.featureUsageTotals(u.fromDay).load(u.featureId)).events;
  }

  @FieldResolver(() => Int, { description: 'Distinct end users with a rollup row for the feature in the window.' })
  async activeUsers(@Root() u: FeatureUsage, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.analytics.featureUsageTotals(u.fromDay).load(u.featureId)).activeUsers;
  }

  @FieldResolver(() => [FeatureUsageDay], { description: 'Each UTC day of the window with activity on the feature, ascending: at most `days` rows (3660), so a plain list, not a connection.' })
  daily(@Root() u: FeatureUsage, @Ctx() ctx: Context): Promise<readonly FeatureUsageDay[]> {
    return ctx.loaders.analytics.featureUsageDays(u.fromDay).load(u.featureId);
  }
}
