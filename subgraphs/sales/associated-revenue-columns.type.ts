import { Field, ObjectType } from 'type-graphql';
import { COLUMN_OF_PAGE } from '../../core/feature-columns.js';

@ObjectType({ description: 'Feature.associatedRevenue of many features as columns: value i of each list is that of featureIds[i].' })
export class AssociatedRevenueColumns {
  @Field(() => [String], { description: `Feature.associatedRevenue.amount of each feature (exact decimal). ${COLUMN_OF_PAGE}` }) amounts!: string[];
  @Field(() => [String], { description: `Feature.associatedRevenue.currency of each feature (ISO 4217). ${COLUMN_OF_PAGE}` }) currencies!: string[];
}
