import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The product subgraph's Feature: sales adds the revenue of the companies that adopted it. */
@ObjectType('Feature')
@Directive('@key(fields: "id")')
export class FeatureStub {
  @Field(() => ID) id!: string;
}
