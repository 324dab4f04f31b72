import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { bulkPage } from '../../core/pagination.js';
import { assertId } from '../../core/ids.js';
import { Money, money } from '../../core/money.type.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { CompanyStub } from './stubs/company.stub.js';
import { BillingSubscription } from './subscription.type.js';
import { SubscriptionsArgs } from './finance.inputs.js';
import { subscriptionPage } from './subscription.repository.js';

export const SubscriptionConnection = Connection(BillingSubscription);

@Resolver(() => BillingSubscription)
export class SubscriptionResolver {
  @Query(() => BillingSubscription, { nullable: true })
  subscription(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<BillingSubscription | null> {
    return ctx.loaders.finance.subscriptionById.load(assertId(id));
  }

  @Query(() => SubscriptionConnection, { description: 'Subscriptions, newest first.' })
  subscriptions(@Args(() => SubscriptionsArgs) args: SubscriptionsArgs, @Ctx() ctx: Context) {
    const filter = args.filter ?? {};
    return subscriptionPage(ctx.db, ctx.tenantId, { ...filter, companyId: filter.companyId ? assertId(filter.companyId, 'filter.companyId') : null }, bulkPage('Query.subscriptions', args));
  }

  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money, { description: 'The price per billing interval.' })
  amount(@Root() subscription: BillingSubscription): Money {
    return money(subscription.amountValue, subscription.currency);
  }

  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money, { description: 'The price per month: a yearly price / 12, rounded to cents.' })
  monthlyAmount(@Root() subscription: BillingSubscription): Money {
    return money(subscription.monthlyValue, subscription.currency);
  }

  @FieldResolver(() => CompanyStub, { nullable: true })
  company(@Root() subscription: BillingSubscription): CompanyStub | null {
    return subscription.companyId ? { id: subscription.companyId } : null;
  }

  @FieldResolver(() => Source)
  source(@Root() subscription: BillingSubscription): Source {
    return sourceOf(subscription);
  }
}
