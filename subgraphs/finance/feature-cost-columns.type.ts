import { Field, ObjectType } from 'type-graphql';
import { COLUMN_OF_PAGE } from '../../core/feature-columns.js';

@ObjectType({ description: 'Feature.cost of many features as columns: value i of each list is that of featureIds[i].' })
export class FeatureCostColumns {
  @Field(() => [String], { description: `Feature.cost.amount of each feature (exact decimal; 0.00 without recorded cost). ${COLUMN_OF_PAGE}` }) amounts!: string[];
  @Field(() => [String], { description: `Feature.cost.currency of each feature (ISO 4217). ${COLUMN_OF_PAGE}` }) currencies!: string[];
}
