import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Money } from '../../../core/money.type.js';

/** The sales subgraph's Company: customer success adds its health and churn risk. */
@ObjectType('Company')
@Directive('@key(fields: "id")')
export class CompanyStub {
  @Field(() => ID) id!: string;

  @Field(() => Money, { nullable: true, description: 'Owned by finance: annual recurring revenue, which ARR at risk requires.' })
  @Directive('@external')
  arr?: Money | null;
}
