import { ArgsType, Field, ID } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Granularity, MAX_PERIODS } from '../../core/periods.js';

const TIME_ZONE =
  'IANA time zone of the periods. Only UTC (or an alias such as "Etc/UTC") is accepted: the daily rollups are UTC days, ' +
  'which cannot be split into another zone\'s days, so any other zone is a BAD_USER_INPUT error.';

@ArgsType()
export class UsageOverTimeArgs {
  @Field(() => LocalDateResolver, { description: 'First day (UTC), included.' }) from!: string;
  @Field(() => LocalDateResolver, { description: `Day after the last (UTC), excluded. 1 to ${MAX_PERIODS} periods.` }) to!: string;
  @Field(() => Granularity, { defaultValue: Granularity.DAY }) granularity!: Granularity;
  @Field(() => String, { defaultValue: 'UTC', description: TIME_ZONE }) timeZone!: string;
}

@ArgsType()
export class RetentionCohortsArgs {
  @Field(() => LocalDateResolver, { description: 'First day (UTC) of the first cohort, included.' }) from!: string;
  @Field(() => LocalDateResolver, { description: `Day after the last (UTC), excluded. 1 to ${MAX_PERIODS} periods.` }) to!: string;
  @Field(() => Granularity, { defaultValue: Granularity.WEEK, description: 'The length of a cohort and of a retention period.' })
  granularity!: Granularity;
  @Field(() => String, { defaultValue: 'UTC', description: TIME_ZONE }) timeZone!: string;
  @Field(() => ID, { nullable: true, description: "Cohorts and retention of this feature's users; the whole product when omitted." })
  featureId?: string | null;
}
