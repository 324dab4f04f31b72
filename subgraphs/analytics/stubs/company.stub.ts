import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The sales subgraph's Company: analytics adds its active users. */
@ObjectType('Company')
@Directive('@key(fields: "id")')
export class CompanyStub {
  @Field(() => ID) id!: string;
}
