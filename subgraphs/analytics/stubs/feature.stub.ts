import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The product subgraph's Feature: analytics adds its usage and adoption. */
@ObjectType('Feature')
@Directive('@key(fields: "id")')
export class FeatureStub {
  @Field(() => ID) id!: string;
}
