import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Scope } from '../../core/auth.js';
import { RequiresScopes } from '../../core/scopes.js';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { bulkPage } from '../../core/pagination.js';
import { assertId } from '../../core/ids.js';
import { Money, money } from '../../core/money.type.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { Company } from './company.type.js';
import { Deal } from './deal.type.js';
import { DealOrderField, DealsArgs } from './deal.inputs.js';
import { dealOrdering, dealPage } from './deal.repository.js';

export const DealConnection = Connection(Deal);

@Resolver(() => Deal)
export class DealResolver {
  @Query(() => Deal, { nullable: true })
  deal(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Deal | null> {
    return ctx.loaders.sales.dealById.load(assertId(id));
  }

  @Query(() => DealConnection, { description: 'Deals, filtered and in a stable keyset order.' })
  deals(@Args(() => DealsArgs) args: DealsArgs, @Ctx() ctx: Context) {
    const filter = args.filter ?? {};
    const order = args.orderBy ?? { field: DealOrderField.CLOSE_DATE, direction: 'desc' };
    const companyId = filter.companyId ? assertId(filter.companyId, 'filter.companyId') : null;
    return dealPage(ctx.db, ctx.tenantId, { ...filter, companyId }, dealOrdering(order.field, order.direction), bulkPage('Query.deals', args));
  }

  @RequiresScopes(Scope.FinancialRead)
  @FieldResolver(() => Money)
  amount(@Root() deal: Deal): Money {
    return money(deal.amountValue, deal.currency);
  }

  @FieldResolver(() => Company)
  async company(@Root() deal: Deal, @Ctx() ctx: Context): Promise<Company> {
    return (await ctx.loaders.sales.companyById.load(deal.companyId))!;
  }

  @FieldResolver(() => Source)
  source(@Root() deal: Deal): Source {
    return sourceOf(deal);
  }
}
