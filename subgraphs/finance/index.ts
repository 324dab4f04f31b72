import type { SubgraphModule } from '../../core/subgraph.js';
import type { Context } from '../../core/context.js';
import { SubscriptionResolver } from './subscription.resolver.js';
import { BudgetResolver, CostEntryResolver, InvoiceResolver } from './ledger.resolver.js';
import { CompanyFinanceResolver } from './company.resolver.js';
import { FeatureFinanceResolver } from './feature.resolver.js';
import { FeatureCostColumnsResolver } from './feature-cost-columns.resolver.js';

export const finance: SubgraphModule = {
  name: 'finance',
  portOffset: 4,
  resolvers: [SubscriptionResolver, InvoiceResolver, CostEntryResolver, BudgetResolver, CompanyFinanceResolver, FeatureFinanceResolver, FeatureCostColumnsResolver],
  references: {
    BillingSubscription: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.finance.subscriptionById.load(ref.id) },
    Invoice: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.finance.invoiceById.load(ref.id) },
    CostEntry: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.finance.costEntryById.load(ref.id) },
  },
};
