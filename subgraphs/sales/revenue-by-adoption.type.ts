import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { WonDealTotal } from './deal.repository.js';

@ObjectType({
  description:
    "One side of a feature's customers: the companies whose users used the feature in the window (adopting), or every " +
    "other company of the tenant, with the revenue of their won deals. Counts are fields of their own so BI tools can " +
    'derive revenue per company or per adopting share.',
})
export class AdoptionRevenue {
  @Field(() => Boolean, { description: 'true: companies in Feature.adoptingCompanies; false: every other company of the tenant (sales.companies).' })
  adopting!: boolean;
  @Field(() => Int, { description: 'Companies on this side; a company without deals counts here too.' }) companies!: number;
  @Field(() => Int, { description: 'Of those, companies with at least one won deal (is_won).' }) companiesWithWonDeals!: number;
  @Field(() => Int, { description: 'count(*) of the won deals of those companies, all time.' }) wonDeals!: number;
  total!: WonDealTotal;
  currency!: string;
}

@ObjectType({
  description:
    "Revenue by feature adoption: the tenant's companies split by whether any of their users used the feature in the " +
    "window (the companies of analytics' Feature.adoptingCompanies that are companies of the tenant: feature_usage_daily " +
    'rows with day >= windowStart, UTC, of end users whose company_id is set), and per side the sum of the amounts of their closed-won ' +
    "deals (sales.deals with is_won), all time. Closed-won deals are the revenue seed 000's adoption report attributes " +
    "(deal amounts); subscription MRR is Company.mrr in finance. In the tenant's deal currency, as associatedRevenue.",
})
export class RevenueByAdoption {
  @Field(() => Int, { description: 'Length of the adoption window in days (that of Feature.adoptingCompanies).' }) days!: number;
  @Field(() => DateTimeISOResolver, { description: 'Midnight UTC `days` days before today: the first instant of the adoption window.' }) windowStart!: Date;
  /** The window's first UTC date (windowStart's day). */
  fromDay!: string;
  featureId!: string;
}
