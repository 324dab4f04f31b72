import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

const COUNTS = 'Counts are fields of their own so BI tools can re-aggregate segments.';

@ObjectType({
  description:
    "The health of a segment's companies at an instant `at`: each company's newest Gainsight health snapshot measured at " +
    'or before `at`, banded (red < 40 <= yellow < 70 <= green) and given a churn risk by the rule of ChurnRisk (from that ' +
    `snapshot's score and previous score). A company without such a snapshot is unscored. ${COUNTS}`,
})
export class SegmentHealth {
  @Field(() => DateTimeISOResolver, { description: 'The instant the health is read at: snapshots measured later are left out.' }) at!: Date;
  @Field(() => Int, { description: 'Companies in the segment (CustomerSegment.companies).' }) companies!: number;
  @Field(() => Int, { description: 'Of those, companies with a snapshot measured at or before `at`: the denominator of averageScore.' }) scoredCompanies!: number;
  @Field(() => Int, { description: 'companies - scoredCompanies.' }) unscoredCompanies!: number;
  @Field(() => Int, { description: 'Scored companies whose score is under 40.' }) red!: number;
  @Field(() => Int, { description: 'Scored companies whose score is 40 or more and under 70.' }) yellow!: number;
  @Field(() => Int, { description: 'Scored companies whose score is 70 or more.' }) green!: number;
  @Field(() => Int, { description: 'Scored companies at HIGH churn risk: score under 40, or 15 points or more under the previous score.' }) highRisk!: number;
  @Field(() => Int, { description: 'Scored companies at MEDIUM churn risk: not HIGH, and score under 70 or 5 points or more under the previous score.' }) mediumRisk!: number;
  @Field(() => Int, { description: 'Scored companies at LOW churn risk: the others.' }) lowRisk!: number;
  @Field(() => Float, { description: 'The sum of the scored companies\' scores (exact to the cent): the numerator of averageScore.' }) scoreTotal!: number;
  @Field(() => Float, { nullable: true, description: 'scoreTotal / scoredCompanies, 0 to 100; null when no company is scored.' }) averageScore!: number | null;
}

@ObjectType({
  description:
    "The annual recurring revenue of a segment's companies by churn risk now (each company's newest snapshot, rule of " +
    "ChurnRisk): ARR is finance's Company.arr (12 x the monthly amounts of its active and past-due subscriptions), read " +
    'from the same subscriptions; a company without subscriptions has 0.00. In the tenant\'s billing currency.',
})
export class SegmentArrAtRisk {
  @Field(() => Int, { description: 'Companies at HIGH churn risk.' }) highRiskCompanies!: number;
  @Field(() => Int, { description: 'Companies at MEDIUM churn risk.' }) mediumRiskCompanies!: number;
  highRiskValue!: string;
  mediumRiskValue!: string;
  totalValue!: string;
  currency!: string;
}
