import { Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { Context } from '../../core/context.js';
import { asOfDescription, syncedAsOf, type SyncedDomain } from '../../core/freshness.js';
import { FeatureAdoption } from './feature-adoption.type.js';
import { adoptionRate, POWER_USER_MIN_DAYS, SUCCESS_ADOPTION_RATE } from './metrics.js';

const INPUTS: SyncedDomain[] = ['analytics'];

@Resolver(() => FeatureAdoption)
export class FeatureAdoptionResolver {
  @FieldResolver(() => DateTimeISOResolver, { nullable: true, description: asOfDescription(INPUTS) })
  asOf(@Ctx() ctx: Context): Promise<Date | null> {
    return syncedAsOf(ctx, INPUTS);
  }

  @FieldResolver(() => Int, { description: 'Distinct end users with a feature_usage_daily row for this feature in the window.' })
  async activeUsers(@Root() a: FeatureAdoption, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.analytics.featureAdoption(a.fromDay).load(a.featureId)).activeUsers;
  }

  @FieldResolver(() => Int, {
    description: 'Distinct end users with a user_activity_daily row in the window: active users of the product, the denominator of adoptionRate.',
  })
  async productActiveUsers(@Root() a: FeatureAdoption, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.analytics.productActivity.load(a.fromDay)).activeUsers;
  }

  @FieldResolver(() => Float, { description: '100.0 * activeUsers / productActiveUsers, in percent; 0 when productActiveUsers is 0.' })
  async adoptionRate(@Root() a: FeatureAdoption, @Ctx() ctx: Context): Promise<number> {
    const [feature, product] = await Promise.all([this.activeUsers(a, ctx), this.productActiveUsers(a, ctx)]);
    return adoptionRate(feature, product);
  }

  @FieldResolver(() => Int, {
    description: `Power users: distinct end users active with the feature on at least ${POWER_USER_MIN_DAYS} distinct days in the window (seed 000's usage_frequency >= ${POWER_USER_MIN_DAYS}).`,
  })
  async powerUsers(@Root() a: FeatureAdoption, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.analytics.featureAdoption(a.fromDay).load(a.featureId)).powerUsers;
  }

  @FieldResolver(() => Boolean, { description: `Feature success (seed 000): adoptionRate > ${SUCCESS_ADOPTION_RATE}.` })
  async successful(@Root() a: FeatureAdoption, @Ctx() ctx: Context): Promise<boolean> {
    return (await this.adoptionRate(a, ctx)) > SUCCESS_ADOPTION_RATE;
  }
}
