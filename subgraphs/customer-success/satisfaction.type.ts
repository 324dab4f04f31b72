import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

@ObjectType({ description: 'Satisfaction with a feature from its feedback; counts are given so BI tools can re-aggregate.' })
export class FeatureSatisfaction {
  @Field(() => Int, { description: 'All feedback on the feature.' }) responses!: number;
  @Field(() => Int) csatResponses!: number;
  @Field(() => Int, { description: 'CSAT answers of 4 or 5.' }) satisfiedResponses!: number;
  @Field(() => Float, { nullable: true, description: 'CSAT = 100 * satisfiedResponses / csatResponses; null without CSAT answers.' }) csat!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean CSAT score, 1 to 5.' }) averageCsat!: number | null;
  @Field(() => Int) npsResponses!: number;
  @Field(() => Int, { description: 'NPS answers of 9 or 10.' }) promoters!: number;
  @Field(() => Int, { description: 'NPS answers of 0 to 6.' }) detractors!: number;
  @Field(() => Float, { nullable: true, description: 'NPS = % promoters - % detractors, -100 to 100; null without NPS answers.' }) nps!: number | null;
}

export enum ChurnRiskLevel {
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
}
registerEnumType(ChurnRiskLevel, { name: 'ChurnRiskLevel' });

@ObjectType({
  description:
    'Churn risk from the latest health score: HIGH when the score is under 40 or fell by 15 points or more since the previous ' +
    'snapshot; MEDIUM when under 70 or it fell by 5 or more; else LOW.',
})
export class ChurnRisk {
  @Field(() => ChurnRiskLevel) level!: ChurnRiskLevel;
  @Field(() => [String], { description: 'Why, in words: one line per rule that fired (the band of the score, its fall), so at most two; a plain list, not a connection.' }) reasons!: string[];
  @Field(() => Float, { description: 'The latest health score.' }) score!: number;
}
