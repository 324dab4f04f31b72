import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The sales subgraph's Company: customer success adds its health and churn risk. */
@ObjectType('Company')
@Directive('@key(fields: "id")')
export class CompanyStub {
  @Field(() => ID) id!: string;
}
