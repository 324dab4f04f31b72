import { Field, ID, ObjectType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';

@ObjectType({ description: "A team's development budget for a period." })
export class Budget {
  @Field(() => ID) id!: string;
  @Field(() => String) team!: string;
  @Field(() => LocalDateResolver) periodStart!: string;
  @Field(() => LocalDateResolver) periodEnd!: string;
  amountValue!: string;
  currency!: string;
}
