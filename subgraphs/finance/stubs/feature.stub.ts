import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Money } from '../../../core/money.type.js';

/** The product subgraph's Feature: finance adds its cost and return on investment. */
@ObjectType('Feature')
@Directive('@key(fields: "id")')
export class FeatureStub {
  @Field(() => ID) id!: string;

  @Field(() => Money, { description: 'Owned by sales.' })
  @Directive('@external')
  associatedRevenue!: Money;
}
