import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
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
import type { CompanyDealTotal, WonDealTotal } from './deal.repository.js';

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
    return revenueMoney(await revenueLoader(ctx).load(feature.id));
  }

  @FieldResolver(() => RevenueByAdoption, {
    nullable: true,
    description: `Won revenue of the companies that adopted the feature in the last ${ADOPTION_WINDOW_DAYS} days against that of every other company.`,
  })
  revenueByAdoption(@Root() feature: FeatureStub): RevenueByAdoption {
    const start = windowStart(ADOPTION_WINDOW_DAYS);
    return { days: ADOPTION_WINDOW_DAYS, windowStart: start, fromDay: utcDay(start), featureId: feature.id };
  }
}

const revenueLoader = (ctx: Context) => ctx.loaders.sales.associatedRevenue(utcDay(windowStart(ADOPTION_WINDOW_DAYS)));
const revenueMoney = (revenue: CompanyDealTotal | null): Money => money(revenue?.amount ?? '0', revenue?.currency ?? 'USD');

/** Feature.associatedRevenue of each of a page of features, from one read of the kept answer. */
export async function associatedRevenueOf(featureIds: readonly string[], ctx: Context): Promise<Money[]> {
  return (await revenueLoader(ctx).many(featureIds)).map(revenueMoney);
}

const NO_WON_DEALS: WonDealTotal = Object.freeze({ companies: 0, companiesWithWonDeals: 0, wonDeals: 0, amount: '0', currency: null });

@Resolver(() => RevenueByAdoption)
export class RevenueByAdoptionResolver {
  @FieldResolver(() => [AdoptionRevenue], { description: 'Two rows, adopting first: a plain list, not a connection (always the two sides).' })
  async rows(@Root() report: RevenueByAdoption, @Ctx() ctx: Context): Promise<AdoptionRevenue[]> {
    const [tenant, kept] = await Promise.all([
      ctx.loaders.sales.tenantWonDealTotal(),
      ctx.loaders.sales.adoptingWonDeals(report.fromDay).load(report.featureId),
    ]);
    const adopting = kept ?? NO_WON_DEALS;
    const others = subtract(tenant, adopting);
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

/** a - b, exactly: the tenant's companies less the adopting ones. */
function subtract(a: WonDealTotal, b: WonDealTotal): WonDealTotal {
  return {
    companies: a.companies - b.companies,
    companiesWithWonDeals: a.companiesWithWonDeals - b.companiesWithWonDeals,
    wonDeals: a.wonDeals - b.wonDeals,
    amount: fromCents(toCents(a.amount) - toCents(b.amount)),
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
