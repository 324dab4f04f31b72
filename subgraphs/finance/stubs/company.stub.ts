import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The sales subgraph's Company: finance adds its recurring revenue and subscriptions. */
@ObjectType('Company')
@Directive('@key(fields: "id")')
export class CompanyStub {
  @Field(() => ID) id!: string;
}
