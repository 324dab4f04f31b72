import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

export enum InvoiceStatus {
  DRAFT = 'draft',
  OPEN = 'open',
  PAID = 'paid',
  VOID = 'void',
  UNCOLLECTIBLE = 'uncollectible',
}
registerEnumType(InvoiceStatus, { name: 'InvoiceStatus' });

@ObjectType({ description: 'A Stripe invoice.' })
@Directive('@key(fields: "id")')
export class Invoice extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) number!: string | null;
  @Field(() => InvoiceStatus) status!: InvoiceStatus;
  @Field(() => DateTimeISOResolver) issuedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) paidAt!: Date | null;
  companyId!: string | null;
  amountDueValue!: string;
  amountPaidValue!: string;
  currency!: string;
}
