import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { Context } from '../../core/context.js';
import { asOfDescription, syncedAsOf, type SyncedDomain } from '../../core/freshness.js';
import { assertId } from '../../core/ids.js';
import { calendarPeriods, timeZoneOf } from '../../core/periods.js';
import { MAX_PERIODS } from '../../core/periods.js';
import { RetentionReport, RetentionRow, UsagePeriod, UsageReport } from './usage-report.type.js';
import { RetentionCohortsArgs, UsageOverTimeArgs } from './usage-report.inputs.js';
import { PRODUCT, retentionCounts, usagePeriodCounts } from './usage-report.repository.js';

/** Both reports read the analytics tool's data only. */
const INPUTS: readonly SyncedDomain[] = ['analytics'];

/** The report of the product (featureId null) or of one feature; its arguments checked before anything runs. */
export function usageReport(featureId: string | null, args: UsageOverTimeArgs): UsageReport {
  const timeZone = timeZoneOf(args.timeZone);
  return { featureId, from: args.from, to: args.to, granularity: args.granularity, timeZone, periods: calendarPeriods(args.from, args.to, args.granularity) };
}

@Resolver(() => UsageReport)
export class UsageReportResolver {
  @Query(() => UsageReport, { description: "The whole product's usage over time: any event counts as activity (user_activity_daily)." })
  usageOverTime(@Args(() => UsageOverTimeArgs) args: UsageOverTimeArgs): UsageReport {
    return usageReport(null, args);
  }

  @FieldResolver(() => [UsagePeriod], { description: `One row a period, in order; not a connection: at most ${MAX_PERIODS} periods, whole in one answer.` })
  async rows(@Root() report: UsageReport, @Ctx() ctx: Context): Promise<UsagePeriod[]> {
    const { featureId, from, to, granularity, timeZone, periods } = report;
    const counts = featureId === null
      ? (await usagePeriodCounts(ctx.db, ctx.tenantId, null, periods, timeZone)).get(PRODUCT) ?? []
      : await ctx.loaders.analytics.usagePeriods({ from, to, granularity, timeZone }).load(featureId);
    const byStart = new Map(counts.map((c) => [c.start, c]));
    return periods.map((p) => {
      const c = byStart.get(p.start) ?? { activeUsers: 0, userDays: 0, wau: 0, mau: 0 };
      const dau = c.userDays / p.days;
      return { periodStart: p.start, periodEnd: p.last, days: p.days, ...c, dau, stickiness: c.mau > 0 ? dau / c.mau : null };
    });
  }

  @FieldResolver(() => DateTimeISOResolver, { nullable: true, description: asOfDescription(INPUTS) })
  asOf(@Ctx() ctx: Context): Promise<Date | null> {
    return syncedAsOf(ctx, INPUTS);
  }
}

@Resolver(() => RetentionReport)
export class RetentionReportResolver {
  @Query(() => RetentionReport, { description: 'Retention cohorts of the product or of one feature: users by the period of their first activity, and how many came back in each later period.' })
  retentionCohorts(@Args(() => RetentionCohortsArgs) args: RetentionCohortsArgs): RetentionReport {
    const timeZone = timeZoneOf(args.timeZone);
    return {
      featureId: args.featureId != null ? assertId(args.featureId, 'featureId') : null,
      from: args.from,
      to: args.to,
      granularity: args.granularity,
      timeZone,
      periods: calendarPeriods(args.from, args.to, args.granularity),
    };
  }

  @FieldResolver(() => [RetentionRow], { description: `One row a cohort and later period (0..N), by cohort then period; not a connection: n periods give n(n+1)/2 rows, at most ${MAX_PERIODS} periods, whole in one answer.` })
  async rows(@Root() report: RetentionReport, @Ctx() ctx: Context): Promise<RetentionRow[]> {
    const { periods } = report;
    const index = new Map(periods.map((p, i) => [p.start, i]));
    const counts = await retentionCounts(ctx.db, ctx.tenantId, report.featureId, periods, report.granularity, report.timeZone);
    return counts.map((c) => {
      const cohort = periods[index.get(c.cohortStart)!];
      const period = periods[index.get(c.cohortStart)! + c.offset];
      return {
        cohortStart: cohort.start,
        cohortEnd: cohort.last,
        cohortSize: c.cohortSize,
        period: c.offset,
        periodStart: period.start,
        periodEnd: period.last,
        retainedUsers: c.retainedUsers,
        retentionRate: c.cohortSize > 0 ? (100 * c.retainedUsers) / c.cohortSize : null,
      };
    });
  }

  @FieldResolver(() => DateTimeISOResolver, { nullable: true, description: asOfDescription(INPUTS) })
  asOf(@Ctx() ctx: Context): Promise<Date | null> {
    return syncedAsOf(ctx, INPUTS);
  }
}
