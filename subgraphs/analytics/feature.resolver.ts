import { Arg, Args, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { MAX_WINDOW_DAYS } from '../../core/windows.js';
import { FeatureStub } from './stubs/feature.stub.js';
import { CompanyStub } from './stubs/company.stub.js';
import { FeatureAdoption } from './feature-adoption.type.js';
import { FeatureUsage } from './feature-usage.type.js';
import { MarketValidation } from './market-validation.type.js';
import { UsageReport } from './usage-report.type.js';
import { UsageOverTimeArgs } from './usage-report.inputs.js';
import { usageReport } from './usage-report.resolver.js';
import { ADOPTION_WINDOW_DAYS, USAGE_WINDOW_DAYS, usageWindow } from './metrics.js';

const DAYS = `Trailing window in days, 1 to ${MAX_WINDOW_DAYS}: from midnight UTC that many days before today.`;

@Resolver(() => FeatureStub)
export class FeatureAnalyticsResolver {
  @FieldResolver(() => FeatureAdoption, { nullable: true, description: 'Adoption of the feature over the trailing `days` (seed 000: 90).' })
  adoption(
    @Root() feature: FeatureStub,
    @Arg('days', () => Int, { defaultValue: ADOPTION_WINDOW_DAYS, description: DAYS }) days: number,
  ): FeatureAdoption {
    return { featureId: feature.id, ...usageWindow(days) };
  }

  @FieldResolver(() => FeatureUsage, { nullable: true, description: 'Usage of the feature over the trailing `days`.' })
  usage(
    @Root() feature: FeatureStub,
    @Arg('days', () => Int, { defaultValue: USAGE_WINDOW_DAYS, description: DAYS }) days: number,
  ): FeatureUsage {
    return { featureId: feature.id, ...usageWindow(days) };
  }

  @FieldResolver(() => MarketValidation, {
    nullable: true,
    description: `Market validation of the feature over the trailing \`days\` (default ${ADOPTION_WINDOW_DAYS}, as adoption): seed 000's weighted score and its components.`,
  })
  @Directive('@requires(fields: "satisfaction { csatResponses satisfiedResponses npsResponses promoters detractors }")')
  marketValidation(
    @Root() feature: FeatureStub,
    @Arg('days', () => Int, { defaultValue: ADOPTION_WINDOW_DAYS, description: DAYS }) days: number,
  ): MarketValidation {
    return { featureId: feature.id, ...usageWindow(days), satisfaction: feature.satisfaction ?? null };
  }

  @FieldResolver(() => UsageReport, { nullable: true, description: "The feature's usage over time: events naming the feature count as activity (feature_usage_daily)." })
  usageOverTime(@Root() feature: FeatureStub, @Args(() => UsageOverTimeArgs) args: UsageOverTimeArgs): UsageReport {
    return usageReport(feature.id, args);
  }

  @FieldResolver(() => [CompanyStub], {
    nullable: true,
    description:
      `The companies (end_users.company_id, when set) with at least one user active on the feature in the last ${ADOPTION_WINDOW_DAYS} days ` +
      `(feature_usage_daily rows with day >= windowStart(${ADOPTION_WINDOW_DAYS})), ordered by company id. ` +
      'A list, not a connection: at most one entry a customer of the tenant (never a row a user or an event).',
  })
  async adoptingCompanies(@Root() feature: FeatureStub, @Ctx() ctx: Context): Promise<CompanyStub[]> {
    const { fromDay } = usageWindow(ADOPTION_WINDOW_DAYS);
    const ids = await ctx.loaders.analytics.adoptingCompanyIds(fromDay).load(feature.id);
    return ids.map((id) => ({ id }));
  }
}
