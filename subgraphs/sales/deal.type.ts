import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

@ObjectType({ description: 'An opportunity (Salesforce) or deal (HubSpot) with a customer.' })
@Directive('@key(fields: "id")')
export class Deal extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "The pipeline stage, as the CRM names it (e.g. 'Closed Won')." }) stage!: string;
  @Field(() => LocalDateResolver, { nullable: true }) closeDate!: string | null;
  @Field(() => Boolean) isClosed!: boolean;
  @Field(() => Boolean) isWon!: boolean;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver) updatedAt!: Date;
  companyId!: string;
  amountValue!: string;
  currency!: string;
}
