import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Scope } from '../../core/auth.js';
import type { Context } from '../../core/context.js';
import { featureColumnIds } from '../../core/feature-columns.js';
import { RequiresScopes } from '../../core/scopes.js';
import { AssociatedRevenueColumns } from './associated-revenue-columns.type.js';
import { associatedRevenueOf } from './feature.resolver.js';

@Resolver(() => AssociatedRevenueColumns)
export class AssociatedRevenueColumnsResolver {
  @RequiresScopes(Scope.FinancialRead)
  @Query(() => AssociatedRevenueColumns, { description: 'Feature.associatedRevenue of up to a page of features (`featureIds`, e.g. FeatureColumns.ids), one list per field.' })
  async associatedRevenueColumns(@Arg('featureIds', () => [ID]) featureIds: string[], @Ctx() ctx: Context): Promise<AssociatedRevenueColumns> {
    const revenues = await associatedRevenueOf(featureColumnIds(featureIds), ctx);
    return { amounts: revenues.map((r) => r.amount), currencies: revenues.map((r) => r.currency) };
  }
}
