import { Field, ID, ObjectType } from 'type-graphql';
import { COLUMN_OF_PAGE } from '../../core/feature-columns.js';
import { DateTimeISOResolver } from 'graphql-scalars';
import { PageInfo } from '../../core/pagination.js';

@ObjectType({
  description:
    'A page of `Query.features` as columns: value i of each list belongs to the i-th feature of the page, in the ' +
    "connection's order. For flat exports, which read the other domains' columns of the same ids " +
    '(`featureAdoptionColumns`, `associatedRevenueColumns`, `featureCostColumns`).',
})
export class FeatureColumns {
  @Field(() => [ID], { description: COLUMN_OF_PAGE }) ids!: string[];
  @Field(() => [String], { description: COLUMN_OF_PAGE }) names!: string[];
  @Field(() => [DateTimeISOResolver], { nullable: 'items', description: `Feature.releasedAt of each feature. ${COLUMN_OF_PAGE}` }) releasedAt!: (Date | null)[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
