import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Feature.associatedRevenue of many features as columns: value i of each list is that of featureIds[i].' })
export class AssociatedRevenueColumns {
  @Field(() => [String], { description: 'Feature.associatedRevenue.amount of each feature (exact decimal).' }) amounts!: string[];
  @Field(() => [String], { description: 'Feature.associatedRevenue.currency of each feature (ISO 4217).' }) currencies!: string[];
}
