import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Granularity, type Period } from '../../core/periods.js';
import { MAU_DAYS, WAU_DAYS } from './metrics.js';

/** What a period report shares: the range and periods asked for. */
@ObjectType()  // never referenced, so never emitted: only its subclasses are
export abstract class PeriodReport {
  @Field(() => LocalDateResolver, { description: 'The first local day of the report, included.' }) from!: string;
  @Field(() => LocalDateResolver, { description: 'The local day after the report, excluded.' }) to!: string;
  @Field(() => Granularity) granularity!: Granularity;
  @Field(() => String, { description: 'The IANA time zone whose local days the periods are, as canonicalised (e.g. "Etc/UTC" is "UTC").' }) timeZone!: string;
  periods!: Period[];
}

@ObjectType({
  description:
    'One period P of usage, from the daily rollups (one row a UTC day and user, with the quarter hours it was active). ' +
    'Periods are local days of the report\'s timeZone, ISO weeks (Monday to Sunday) or months, clipped to its `from` and ' +
    '`to`; every day below is a local day. Numerators and denominators are fields of their own so BI tools can re-aggregate.',
})
export class UsagePeriod {
  @Field(() => LocalDateResolver, { description: "P's first day." }) periodStart!: string;
  @Field(() => LocalDateResolver, { description: "P's last day, included." }) periodEnd!: string;
  @Field(() => Int, { description: 'Days in P: the denominator of dau.' }) days!: number;
  @Field(() => Int, { description: 'Distinct users active on at least one day of P.' }) activeUsers!: number;
  @Field(() => Int, { description: "User-days: the sum over P's days of that day's distinct active users (days without activity count 0)." })
  userDays!: number;
  @Field(() => Float, { description: 'DAU: the average daily distinct users over the days of P = userDays / days.' }) dau!: number;
  @Field(() => Int, { description: `WAU: distinct users active in the ${WAU_DAYS} days ending on periodEnd (they may start before \`from\`).` })
  wau!: number;
  @Field(() => Int, { description: `MAU: distinct users active in the ${MAU_DAYS} days ending on periodEnd (they may start before \`from\`).` })
  mau!: number;
  @Field(() => Float, { nullable: true, description: 'Stickiness: dau / mau, 0 to 1; null when mau is 0.' }) stickiness!: number | null;
}

@ObjectType({
  description:
    'Usage over time: DAU, WAU, MAU and stickiness per period of `from` (included) to `to` (excluded), from the daily ' +
    'rollups (user_activity_daily for the product: any event; feature_usage_daily for a feature: events naming it). ' +
    'A user is active on a local day of `timeZone` when one of their events (naming the feature) happened in it.',
})
export class UsageReport extends PeriodReport {
  featureId!: string | null;
}

@ObjectType({
  description:
    'One cell of a retention triangle: of the users whose first active day falls in the cohort period, how many were ' +
    'active again `period` periods later. Rows come by cohort, then period, for every cohort period of the report and ' +
    'every later period up to the last one (cohorts without users included, with zeros).',
})
export class RetentionRow {
  @Field(() => LocalDateResolver, { description: "The cohort period's first local day." }) cohortStart!: string;
  @Field(() => LocalDateResolver, { description: "The cohort period's last local day, included." }) cohortEnd!: string;
  @Field(() => Int, { description: 'Users whose first active day (all time) falls in the cohort period: the denominator of retentionRate.' })
  cohortSize!: number;
  @Field(() => Int, { description: 'Periods after the cohort period: 0 is the cohort period itself (retainedUsers = cohortSize).' }) period!: number;
  @Field(() => LocalDateResolver, { description: "That period's first local day." }) periodStart!: string;
  @Field(() => LocalDateResolver, { description: "That period's last local day, included." }) periodEnd!: string;
  @Field(() => Int, { description: 'Users of the cohort active on at least one day of that period.' }) retainedUsers!: number;
  @Field(() => Float, { nullable: true, description: '100.0 * retainedUsers / cohortSize, in percent; null when cohortSize is 0.' })
  retentionRate!: number | null;
}

@ObjectType({
  description:
    'Retention cohorts of `from` (included) to `to` (excluded), from the daily rollups. Without featureId: activity is any ' +
    "event (user_activity_daily) and a user's first active day is their first day in it (EndUser.firstSeenAt). With " +
    "featureId: activity is events naming the feature (feature_usage_daily) and the first active day is the user's first " +
    'day with the feature; outside UTC, the local day of their first active quarter hour. Periods as in usageOverTime.',
})
export class RetentionReport extends PeriodReport {
  @Field(() => ID, { nullable: true, description: 'The feature asked for; null for the whole product.' }) featureId!: string | null;
}
