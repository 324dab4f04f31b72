import { ArgsType, Field, ID } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Granularity, MAX_PERIODS } from '../../core/periods.js';

const TIME_ZONE =
  'IANA time zone name of the periods, e.g. "America/New_York", "Asia/Kolkata"; "UTC" by default. Days are its local ' +
  'days, midnight to midnight (23 or 25 hours across a DST change); weeks start on Monday and months on the 1st, local. ' +
  'A user is active on a local day when one of their events happened in it. UTC reads the per-day counts kept with the ' +
  'daily rollups; another zone splits the rollups\' UTC days by the quarter hours they record (every zone\'s offset is ' +
  'whole quarter hours), exact but slower. An unknown name is a BAD_USER_INPUT error naming it.';

@ArgsType()
export class UsageOverTimeArgs {
  @Field(() => LocalDateResolver, { description: 'First local day (in `timeZone`), included.' }) from!: string;
  @Field(() => LocalDateResolver, { description: `Local day after the last, excluded. 1 to ${MAX_PERIODS} periods.` }) to!: string;
  @Field(() => Granularity, { defaultValue: Granularity.DAY }) granularity!: Granularity;
  @Field(() => String, { defaultValue: 'UTC', description: TIME_ZONE }) timeZone!: string;
}

@ArgsType()
export class RetentionCohortsArgs {
  @Field(() => LocalDateResolver, { description: 'First local day of the first cohort, included.' }) from!: string;
  @Field(() => LocalDateResolver, { description: `Local day after the last, excluded. 1 to ${MAX_PERIODS} periods.` }) to!: string;
  @Field(() => Granularity, { defaultValue: Granularity.WEEK, description: 'The length of a cohort and of a retention period.' })
  granularity!: Granularity;
  @Field(() => String, { defaultValue: 'UTC', description: TIME_ZONE }) timeZone!: string;
  @Field(() => ID, { nullable: true, description: "Cohorts and retention of this feature's users; the whole product when omitted." })
  featureId?: string | null;
}
