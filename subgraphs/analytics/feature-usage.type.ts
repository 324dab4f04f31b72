import { Field, Int, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { FeatureWindow } from './feature-window.type.js';

@ObjectType({ description: "One UTC day of a feature's usage (only days with activity are listed)." })
export class FeatureUsageDay {
  @Field(() => LocalDateResolver, { description: 'The UTC day.' }) day!: string;
  @Field(() => Int, { description: 'Distinct users who used the feature that day.' }) activeUsers!: number;
  @Field(() => Int, { description: "Sum of the feature's event_count that day." }) events!: number;
}

@ObjectType({
  description: "A feature's usage over the trailing `days`, from the daily rollup (rows with `day >= windowStart`, UTC).",
})
export class FeatureUsage extends FeatureWindow {}
