import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { assertId } from '../../core/ids.js';
import { Money, money } from '../../core/money.type.js';
import { BulkPageArgs, bulkPage } from '../../core/pagination.js';
import { assertRange } from '../../core/range.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { CompanyStub } from './stubs/company.stub.js';
import { FeatureStub } from './stubs/feature.stub.js';
import { Invoice } from './invoice.type.js';
import { CostEntry } from './cost-entry.type.js';
import { Budget } from './budget.type.js';
import { CostEntriesArgs, InvoicesArgs } from './finance.inputs.js';
import { budgetPage, costEntryPage, invoicePage } from './ledger.repository.js';

const InvoiceConnection = Connection(Invoice);
const CostEntryConnection = Connection(CostEntry);
const BudgetConnection = Connection(Budget);

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => InvoiceConnection, { description: 'Invoices, newest first.' })
  invoices(@Args(() => InvoicesArgs) args: InvoicesArgs, @Ctx() ctx: Context) {
    const filter = args.filter ?? {};
    assertRange(filter.issuedFrom, filter.issuedTo, ['filter.issuedFrom', 'filter.issuedTo']);
    return invoicePage(ctx.db, ctx.tenantId, { ...filter, companyId: filter.companyId ? assertId(filter.companyId, 'filter.companyId') : null }, bulkPage('Query.invoices', args));
  }

  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money) amountDue(@Root() invoice: Invoice): Money { return money(invoice.amountDueValue, invoice.currency); }
  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money) amountPaid(@Root() invoice: Invoice): Money { return money(invoice.amountPaidValue, invoice.currency); }
  @FieldResolver(() => CompanyStub, { nullable: true }) company(@Root() invoice: Invoice): CompanyStub | null { return invoice.companyId ? { id: invoice.companyId } : null; }
  @FieldResolver(() => Source) source(@Root() invoice: Invoice): Source { return sourceOf(invoice); }
}

@Resolver(() => CostEntry)
export class CostEntryResolver {
  @Query(() => CostEntryConnection, { description: 'The development cost ledger, newest first.' })
  costEntries(@Args(() => CostEntriesArgs) args: CostEntriesArgs, @Ctx() ctx: Context) {
    const filter = args.filter ?? {};
    return costEntryPage(ctx.db, ctx.tenantId, { ...filter, featureId: filter.featureId ? assertId(filter.featureId, 'filter.featureId') : null }, bulkPage('Query.costEntries', args));
  }

  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money) amount(@Root() entry: CostEntry): Money { return money(entry.amountValue, entry.currency); }
  @FieldResolver(() => FeatureStub, { nullable: true }) feature(@Root() entry: CostEntry): { id: string } | null { return entry.featureId ? { id: entry.featureId } : null; }
  @FieldResolver(() => Source) source(@Root() entry: CostEntry): Source { return sourceOf(entry); }
}

@Resolver(() => Budget)
export class BudgetResolver {
  @Query(() => BudgetConnection, { description: 'Team budgets, newest period first.' })
  budgets(@Args(() => BulkPageArgs) args: BulkPageArgs, @Ctx() ctx: Context) {
    return budgetPage(ctx.db, ctx.tenantId, bulkPage('Query.budgets', args));
  }

  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money) amount(@Root() budget: Budget): Money { return money(budget.amountValue, budget.currency); }
}

