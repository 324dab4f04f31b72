import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Feature.cost of many features as columns: value i of each list is that of featureIds[i].' })
export class FeatureCostColumns {
  @Field(() => [String], { description: 'Feature.cost.amount of each feature (exact decimal; 0.00 without recorded cost).' }) amounts!: string[];
  @Field(() => [String], { description: 'Feature.cost.currency of each feature (ISO 4217).' }) currencies!: string[];
}
