import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Feature.adoption(days) of many features as columns: value i of each list is that of featureIds[i].' })
export class FeatureAdoptionColumns {
  @Field(() => [Int], { description: 'FeatureAdoption.activeUsers of each feature.' }) activeUsers!: number[];
  @Field(() => Int, { description: 'FeatureAdoption.productActiveUsers: the same for every feature of the window.' }) productActiveUsers!: number;
  @Field(() => [Float], { description: 'FeatureAdoption.adoptionRate of each feature: 100.0 * activeUsers / productActiveUsers, in percent; 0 when productActiveUsers is 0.' })
  adoptionRate!: number[];
  @Field(() => [Int], { description: 'FeatureAdoption.powerUsers of each feature.' }) powerUsers!: number[];
}
