import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { FeatureSatisfactionStub } from './feature-satisfaction.stub.js';

/** The product subgraph's Feature: analytics adds its usage and adoption. */
@ObjectType('Feature')
@Directive('@key(fields: "id")')
export class FeatureStub {
  @Field(() => ID) id!: string;

  @Field(() => FeatureSatisfactionStub, { nullable: true, description: "Owned by customer success: the feature's CSAT and NPS answers." })
  @Directive('@external')
  satisfaction?: FeatureSatisfactionStub | null;
}
