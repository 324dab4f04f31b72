import { Ctx, Directive, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { returnOnInvestment } from '../../core/feature-columns.js';
import { Money, money } from '../../core/money.type.js';
import { FeatureStub } from './stubs/feature.stub.js';

@Resolver(() => FeatureStub)
export class FeatureFinanceResolver {
  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money, { nullable: true, description: 'Development cost: the sum of the cost ledger entries attributed to the feature, all time.' })
  async cost(@Root() feature: FeatureStub, @Ctx() ctx: Context): Promise<Money> {
    return costMoney(await ctx.loaders.finance.costOfFeature.load(feature.id));
  }

  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Return on investment: (associatedRevenue - cost) / cost, e.g. 1.5 = 150 %. Null when the feature has no recorded cost.',
  })
  @Directive('@requires(fields: "associatedRevenue { amount currency }")')
  async roi(@Root() feature: FeatureStub, @Ctx() ctx: Context): Promise<number | null> {
    const cost = await ctx.loaders.finance.costOfFeature.load(feature.id);
    return returnOnInvestment(feature.associatedRevenue?.amount ?? '0', cost?.amount);
  }
}

const costMoney = (cost: { amount: string; currency: string } | null): Money => money(cost?.amount ?? '0', cost?.currency);

/** Feature.cost of each of a page of features, from one read of the kept answer. */
export async function costOf(featureIds: readonly string[], ctx: Context): Promise<Money[]> {
  return (await ctx.loaders.finance.costOfFeature.many(featureIds)).map(costMoney);
}
