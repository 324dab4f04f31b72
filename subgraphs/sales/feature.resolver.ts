import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { fromCents, toCents } from '../../core/decimal.js';
import { asOfDescription, syncedAsOf, type SyncedDomain } from '../../core/freshness.js';
import { Money, money } from '../../core/money.type.js';
import { utcDay, windowStart } from '../../core/windows.js';
import { ADOPTION_WINDOW_DAYS } from '../analytics/metrics.js';
import { FeatureStub } from './stubs/feature.stub.js';
import { AdoptionRevenue, RevenueByAdoption } from './revenue-by-adoption.type.js';
import type { WonDealTotal } from './deal.repository.js';

/** Adoption from the analytics tool, companies and deals from the CRMs. */
const INPUTS: readonly SyncedDomain[] = ['analytics', 'sales'];

@Resolver(() => FeatureStub)
export class FeatureRevenueResolver {
  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money, {
    description:
      "Seed 000's associated_revenue: the sum of the positive amounts of all deals of the companies whose users used the feature " +
      `in the last ${ADOPTION_WINDOW_DAYS} days (the companies of Feature.adoptingCompanies), each deal counted once; 0.00 when none. ` +
      "In the tenant's deal currency.",
  })
  async associatedRevenue(@Root() feature: FeatureStub, @Ctx() ctx: Context): Promise<Money> {
    const revenue = await ctx.loaders.sales.associatedRevenue(utcDay(windowStart(ADOPTION_WINDOW_DAYS))).load(feature.id);
    return money(revenue?.amount ?? '0', revenue?.currency ?? 'USD');
  }

  @FieldResolver(() => RevenueByAdoption, {
    nullable: true,
    description: `Won revenue of the companies that adopted the feature in the last ${ADOPTION_WINDOW_DAYS} days against that of every other company.`,
  })
  @Directive('@requires(fields: "adoptingCompanies { id }")')
  revenueByAdoption(@Root() feature: FeatureStub): RevenueByAdoption {
    return { days: ADOPTION_WINDOW_DAYS, windowStart: windowStart(ADOPTION_WINDOW_DAYS), adoptingCompanyIds: (feature.adoptingCompanies ?? []).map((c) => c.id) };
  }
}

const NO_WON_DEALS: WonDealTotal = Object.freeze({ companies: 0, companiesWithWonDeals: 0, wonDeals: 0, amount: '0', currency: null });

@Resolver(() => RevenueByAdoption)
export class RevenueByAdoptionResolver {
  @FieldResolver(() => [AdoptionRevenue], { description: 'Two rows, adopting first: a plain list, not a connection (always the two sides).' })
  async rows(@Root() report: RevenueByAdoption, @Ctx() ctx: Context): Promise<AdoptionRevenue[]> {
    const [tenant, found] = await Promise.all([
      ctx.loaders.sales.tenantWonDealTotal(),
      ctx.loaders.sales.wonDealTotal.loadMany(report.adoptingCompanyIds),
    ]);
    const adopting = found.reduce<WonDealTotal>((sum, t) => (t === null || t instanceof Error ? sum : add(sum, t, 1n)), NO_WON_DEALS);
    const others = add(tenant, adopting, -1n);
    const currency = tenant.currency ?? 'USD';
    return [
      { adopting: true, ...counts(adopting), total: adopting, currency },
      { adopting: false, ...counts(others), total: others, currency },
    ];
  }

  @FieldResolver(() => DateTimeISOResolver, { nullable: true, description: asOfDescription(INPUTS) })
  asOf(@Ctx() ctx: Context): Promise<Date | null> {
    return syncedAsOf(ctx, INPUTS);
  }
}

/** a + sign * b, exactly. */
function add(a: WonDealTotal, b: WonDealTotal, sign: 1n | -1n): WonDealTotal {
  const n = Number(sign);
  return {
    companies: a.companies + n * b.companies,
    companiesWithWonDeals: a.companiesWithWonDeals + n * b.companiesWithWonDeals,
    wonDeals: a.wonDeals + n * b.wonDeals,
    amount: fromCents(toCents(a.amount) + sign * toCents(b.amount)),
    currency: a.currency ?? b.currency,
  };
}

const counts = (t: WonDealTotal) => ({ companies: t.companies, companiesWithWonDeals: t.companiesWithWonDeals, wonDeals: t.wonDeals });

@Resolver(() => AdoptionRevenue)
export class AdoptionRevenueResolver {
  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money, { description: 'sum(amount) of the won deals of the companies on this side, all time; 0.00 when none.' })
  wonRevenue(@Root() row: AdoptionRevenue): Money {
    return money(row.total.amount, row.currency);
  }
}
