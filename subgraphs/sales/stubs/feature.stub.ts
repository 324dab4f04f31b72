import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Company } from '../company.type.js';

/** The product subgraph's Feature: sales adds the revenue of the companies that adopted it. */
@ObjectType('Feature')
@Directive('@key(fields: "id")')
export class FeatureStub {
  @Field(() => ID) id!: string;

  @Field(() => [Company], { nullable: true, description: 'Owned by analytics: the companies whose users used the feature in the last 90 days.' })
  @Directive('@external')
  adoptingCompanies!: { id: string }[] | null;
}
