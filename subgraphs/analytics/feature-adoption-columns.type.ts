import { Field, Float, Int, ObjectType } from 'type-graphql';
import { COLUMN_OF_PAGE } from '../../core/feature-columns.js';

@ObjectType({ description: 'Feature.adoption(days) of many features as columns: value i of each list is that of featureIds[i].' })
export class FeatureAdoptionColumns {
  @Field(() => [Int], { description: `FeatureAdoption.activeUsers of each feature. ${COLUMN_OF_PAGE}` }) activeUsers!: number[];
  @Field(() => Int, { description: 'FeatureAdoption.productActiveUsers: the same for every feature of the window.' }) productActiveUsers!: number;
  @Field(() => [Float], { description: `FeatureAdoption.adoptionRate of each feature: 100.0 * activeUsers / productActiveUsers, in percent; 0 when productActiveUsers is 0. ${COLUMN_OF_PAGE}` })
  adoptionRate!: number[];
  @Field(() => [Int], { description: `FeatureAdoption.powerUsers of each feature. ${COLUMN_OF_PAGE}` }) powerUsers!: number[];
}
