import { Directive, Field, Int, ObjectType } from 'type-graphql';

/** The customer-success subgraph's FeatureSatisfaction: the answer counts market validation requires. */
@ObjectType('FeatureSatisfaction')
@Directive('@external')
export class FeatureSatisfactionStub {
  @Field(() => Int) csatResponses!: number;
  @Field(() => Int) satisfiedResponses!: number;
  @Field(() => Int) npsResponses!: number;
  @Field(() => Int) promoters!: number;
  @Field(() => Int) detractors!: number;
}
