import { Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { Context } from '../../core/context.js';
import { asOfDescription, syncedAsOf, type SyncedDomain } from '../../core/freshness.js';
import { MarketValidation } from './market-validation.type.js';
import {
  adoptionRate, NEUTRAL_COMPETITIVE_SCORE, percent, POWER_USER_MIN_DAYS, satisfactionScore, SUCCESS_ADOPTION_RATE, validationScore,
  VALIDATION_WEIGHTS as W,
} from './metrics.js';

/** Usage from the analytics tool, answers from the customer success tool. */
const INPUTS: readonly SyncedDomain[] = ['analytics', 'customer_success'];

@Resolver(() => MarketValidation)
export class MarketValidationResolver {
  @FieldResolver(() => Int, { description: 'Distinct end users with a feature_usage_daily row for the feature in the window.' })
  async activeUsers(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.analytics.featureAdoption(v.fromDay).load(v.featureId)).activeUsers;
  }

  @FieldResolver(() => Int, { description: `Of activeUsers, those active with the feature on at least ${POWER_USER_MIN_DAYS} distinct days in the window.` })
  async powerUsers(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.analytics.featureAdoption(v.fromDay).load(v.featureId)).powerUsers;
  }

  @FieldResolver(() => Int, { description: 'Distinct end users with a user_activity_daily row in the window: active users of the product.' })
  async productActiveUsers(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.analytics.productActivity.load(v.fromDay)).activeUsers;
  }

  @FieldResolver(() => Int, { description: 'Companies (end_users.company_id) with a user active on the feature in the window (Feature.adoptingCompanies over the same window).' })
  adoptingCompanies(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.analytics.adoptingCompanyCount(v.fromDay).load(v.featureId);
  }

  @FieldResolver(() => Int, { description: 'Companies (end_users.company_id) with a user active in the product in the window (any event).' })
  async activeCompanies(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.analytics.productActivity.load(v.fromDay)).activeCompanies;
  }

  @FieldResolver(() => Int, { description: 'CSAT and NPS answers on the feature, all time: the weight behind satisfaction (comments are not scored).' })
  satisfactionResponses(@Root() v: MarketValidation): number {
    return (v.satisfaction?.csatResponses ?? 0) + (v.satisfaction?.npsResponses ?? 0);
  }

  @FieldResolver(() => Float, { description: `Engagement (weight ${W.engagement}): 100.0 * powerUsers / activeUsers, the share of the feature's users who came back on ${POWER_USER_MIN_DAYS}+ days; 0 without users.` })
  async engagement(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<number> {
    const { activeUsers, powerUsers } = await ctx.loaders.analytics.featureAdoption(v.fromDay).load(v.featureId);
    return percent(powerUsers, activeUsers);
  }

  @FieldResolver(() => Float, { description: `Adoption (weight ${W.adoption}): 100.0 * activeUsers / productActiveUsers (Feature.adoption's adoptionRate); 0 without product users.` })
  async adoption(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<number> {
    const [feature, product] = await Promise.all([this.activeUsers(v, ctx), this.productActiveUsers(v, ctx)]);
    return adoptionRate(feature, product);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      `Satisfaction (weight ${W.satisfaction}), from all the feature's CSAT (1-5) and NPS (0-10) answers: 100.0 * (CSAT answers of 4-5 + ` +
      '(NPS promoters - NPS detractors + NPS answers) / 2) / (CSAT answers + NPS answers), i.e. a CSAT answer scores 100 ' +
      'when satisfied, else 0, and an NPS answer 100 as a promoter (9-10), 50 as a passive (7-8), 0 as a detractor (0-6). ' +
      'Null without answers: the score then leaves it out.',
  })
  satisfaction(@Root() v: MarketValidation): number | null {
    return v.satisfaction ? satisfactionScore(v.satisfaction) : null;
  }

  @FieldResolver(() => Float, {
    description: `Market fit (weight ${W.marketFit}): 100.0 * adoptingCompanies / activeCompanies, the share of the customers active in the product whose users use the feature; 0 without active companies.`,
  })
  async marketFit(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<number> {
    const [adopting, active] = await Promise.all([this.adoptingCompanies(v, ctx), this.activeCompanies(v, ctx)]);
    return percent(adopting, active);
  }

  @FieldResolver(() => Float, {
    description: `Competitive position (weight ${W.competitive}): always ${NEUTRAL_COMPETITIVE_SCORE}, neutral, because no competitive or market research data source is connected.`,
  })
  competitive(): number {
    return NEUTRAL_COMPETITIVE_SCORE;
  }

  @FieldResolver(() => Float, {
    description:
      `The weighted score, 0 to 100: (${W.engagement} * engagement + ${W.adoption} * adoption + ${W.satisfaction} * satisfaction + ` +
      `${W.marketFit} * marketFit + ${W.competitive} * competitive) / (the sum of the weights of the components that are not null: ` +
      `1, or ${1 - W.satisfaction} without satisfaction).`,
  })
  async score(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<number> {
    const [engagement, adoption, marketFit] = await Promise.all([this.engagement(v, ctx), this.adoption(v, ctx), this.marketFit(v, ctx)]);
    return validationScore({ engagement, adoption, satisfaction: this.satisfaction(v), marketFit, competitive: this.competitive() });
  }

  @FieldResolver(() => Boolean, { description: `Feature success (seed 000): adoption > ${SUCCESS_ADOPTION_RATE}.` })
  async successful(@Root() v: MarketValidation, @Ctx() ctx: Context): Promise<boolean> {
    return (await this.adoption(v, ctx)) > SUCCESS_ADOPTION_RATE;
  }

  @FieldResolver(() => DateTimeISOResolver, { nullable: true, description: asOfDescription(INPUTS) })
  asOf(@Ctx() ctx: Context): Promise<Date | null> {
    return syncedAsOf(ctx, INPUTS);
  }
}
