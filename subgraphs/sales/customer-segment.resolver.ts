import { Kind, type GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { Company, CompanySegment } from './company.type.js';
import { CustomerSegment, CustomerSegmentsArgs } from './customer-segment.type.js';
import { companyIdsBySegment } from './company.repository.js';

const SEGMENTS = Object.values(CompanySegment);
const ID_FIELDS = new Set(['id', '__typename']);

/** Whether this field's selection is only the companies' id (as customer success requires them): then no row is read. */
const selectsIdOnly = (info: GraphQLResolveInfo) =>
  info.fieldNodes.every((node) => node.selectionSet?.selections.every((s) => s.kind === Kind.FIELD && ID_FIELDS.has(s.name.value)) ?? true);

/** The segments asked for, in the enum's order (small business first), each with the ids of its companies. */
export async function customerSegments(ctx: Context, segments: readonly CompanySegment[], filter: { owner?: string | null; industry?: string | null }): Promise<CustomerSegment[]> {
  const wanted = SEGMENTS.filter((s) => segments.includes(s));
  const bySegment = await companyIdsBySegment(ctx.db, ctx.tenantId, wanted, filter);
  return wanted.map((segment) => {
    const companyIds = bySegment.get(segment)!;
    return { segment, companyCount: companyIds.length, companyIds };
  });
}

@Resolver(() => CustomerSegment)
export class CustomerSegmentResolver {
  @Query(() => [CustomerSegment], {
    description:
      "The tenant's customers by segment: one row a segment asked for (all three by default, a segment without companies " +
      'included), so a plain list, not a connection: at most three rows. Select health and churn risk by segment (customer ' +
      'success) and ARR at risk (finance) on each.',
  })
  customerSegments(@Args(() => CustomerSegmentsArgs) args: CustomerSegmentsArgs, @Ctx() ctx: Context): Promise<CustomerSegment[]> {
    const filter = args.filter ?? {};
    return customerSegments(ctx, filter.segment?.length ? filter.segment : SEGMENTS, filter);
  }

  @FieldResolver(() => [Company], {
    description:
      'The companies in the segment that match the filter, by id. Customer success requires it whole (health by segment), ' +
      'so it is a plain list, not a connection: at most one entry a customer of the tenant.',
  })
  async companies(@Root() segment: CustomerSegment, @Info() info: GraphQLResolveInfo, @Ctx() ctx: Context): Promise<Company[]> {
    // Only `id` can be read from these objects, and only `id` is selected.
    if (selectsIdOnly(info)) return segment.companyIds.map((id) => ({ id }) as Company);
    const rows = await ctx.loaders.sales.companyById.loadMany(segment.companyIds);
    const failed = rows.find((row) => row instanceof Error);
    if (failed) throw failed;
    // A company deleted since its id was read is left out.
    return rows.filter((row): row is Company => row !== null);
  }
}
