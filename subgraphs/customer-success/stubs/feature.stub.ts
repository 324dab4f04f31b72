import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The product subgraph's Feature: customer success adds its feedback and satisfaction. */
@ObjectType('Feature')
@Directive('@key(fields: "id")')
export class FeatureStub {
  @Field(() => ID) id!: string;
}
