import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { sumDecimals } from '../../core/decimal.js';
import { Money, money } from '../../core/money.type.js';
import { FeatureStub } from './stubs/feature.stub.js';

@Resolver(() => FeatureStub)
export class FeatureRevenueResolver {
  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money, {
    description:
      "Seed 000's associated_revenue: the sum of the positive amounts of all deals of the companies whose users used the feature " +
      'in the last 90 days (Feature.adoptingCompanies), each deal counted once; 0.00 when none. In the tenant\'s deal currency.',
  })
  @Directive('@requires(fields: "adoptingCompanies { id }")')
  async associatedRevenue(@Root() feature: FeatureStub, @Ctx() ctx: Context): Promise<Money> {
    const ids = (feature.adoptingCompanies ?? []).map((c) => c.id);
    const totals = await ctx.loaders.sales.positiveDealTotal.loadMany(ids);
    const found = totals.filter((t): t is Exclude<typeof t, Error | null> => t !== null && !(t instanceof Error));
    return money(sumDecimals(found.map((t) => t.amount)), found[0]?.currency ?? 'USD');
  }
}
