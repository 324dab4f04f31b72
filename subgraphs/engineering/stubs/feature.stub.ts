import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The product subgraph's Feature: engineering adds its delivery (pull requests, lead time, last deploy). */
@ObjectType('Feature')
@Directive('@key(fields: "id")')
export class FeatureStub {
  @Field(() => ID) id!: string;
}
