import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { annualFromMonthly } from '../../core/recurring-revenue.js';
import { Money, money } from '../../core/money.type.js';
import { PageArgs } from '../../core/pagination.js';
import { CompanyStub } from './stubs/company.stub.js';
import { SubscriptionConnection } from './subscription.resolver.js';

@Resolver(() => CompanyStub)
export class CompanyFinanceResolver {
  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money, { nullable: true, description: 'Monthly recurring revenue: the monthly amounts (yearly / 12) of the active and past-due subscriptions.' })
  async mrr(@Root() company: CompanyStub, @Ctx() ctx: Context): Promise<Money> {
    const mrr = await ctx.loaders.finance.mrrOfCompany.load(company.id);
    return money(mrr?.amount ?? '0', mrr?.currency);
  }

  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money, { nullable: true, description: 'Annual recurring revenue: 12 x mrr.' })
  async arr(@Root() company: CompanyStub, @Ctx() ctx: Context): Promise<Money> {
    const mrr = await ctx.loaders.finance.mrrOfCompany.load(company.id);
    return money(annualFromMonthly(mrr?.amount ?? '0'), mrr?.currency);
  }

  @FieldResolver(() => SubscriptionConnection, { nullable: true, description: "The company's subscriptions, newest first." })
  subscriptions(@Root() company: CompanyStub, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return ctx.loaders.finance.subscriptionsOfCompany({ first: page.first, after: page.after }).load(company.id);
  }
}
