import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

export enum SubscriptionStatus {
  TRIALING = 'trialing',
  ACTIVE = 'active',
  PAST_DUE = 'past_due',
  CANCELED = 'canceled',
  UNPAID = 'unpaid',
  INCOMPLETE = 'incomplete',
  PAUSED = 'paused',
}
registerEnumType(SubscriptionStatus, { name: 'SubscriptionStatus' });

export enum BillingInterval {
  MONTH = 'month',
  YEAR = 'year',
}
registerEnumType(BillingInterval, { name: 'BillingInterval' });

@ObjectType({ description: 'A Stripe subscription of a customer.' })
@Directive('@key(fields: "id")')
export class BillingSubscription extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => SubscriptionStatus) status!: SubscriptionStatus;
  @Field(() => String, { nullable: true }) plan!: string | null;
  @Field(() => BillingInterval) billingInterval!: BillingInterval;
  @Field(() => DateTimeISOResolver) startedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) currentPeriodEnd!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) canceledAt!: Date | null;
  companyId!: string | null;
  amountValue!: string;
  monthlyValue!: string;
  currency!: string;
}
