import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { BulkPageArgs } from '../../core/pagination.js';
import { SubscriptionStatus } from './subscription.type.js';
import { InvoiceStatus } from './invoice.type.js';
import { CostCategory } from './cost-entry.type.js';

@InputType()
export class SubscriptionFilter {
  @Field(() => ID, { nullable: true }) companyId?: string | null;
  @Field(() => [SubscriptionStatus], { nullable: true }) status?: SubscriptionStatus[] | null;
}

@ArgsType()
export class SubscriptionsArgs extends BulkPageArgs {
  @Field(() => SubscriptionFilter, { nullable: true }) filter?: SubscriptionFilter | null;
}

@InputType()
export class InvoiceFilter {
  @Field(() => ID, { nullable: true }) companyId?: string | null;
  @Field(() => [InvoiceStatus], { nullable: true }) status?: InvoiceStatus[] | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Issued at or after.' }) issuedFrom?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Issued before.' }) issuedTo?: Date | null;
}

@ArgsType()
export class InvoicesArgs extends BulkPageArgs {
  @Field(() => InvoiceFilter, { nullable: true }) filter?: InvoiceFilter | null;
}

@InputType()
export class CostEntryFilter {
  @Field(() => ID, { nullable: true }) featureId?: string | null;
  @Field(() => [CostCategory], { nullable: true }) category?: CostCategory[] | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Incurred on or after this day.' }) from?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Incurred before this day.' }) to?: string | null;
}

@ArgsType()
export class CostEntriesArgs extends BulkPageArgs {
  @Field(() => CostEntryFilter, { nullable: true }) filter?: CostEntryFilter | null;
}
