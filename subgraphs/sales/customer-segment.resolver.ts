import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { CompanySegment } from './company.type.js';
import { CustomerSegment, CustomerSegmentsArgs } from './customer-segment.type.js';
import { companiesBySegment } from './company.repository.js';

const SEGMENTS = Object.values(CompanySegment);

/** The segments asked for, in the enum's order (small business first), each with its companies. */
export async function customerSegments(ctx: Context, segments: readonly CompanySegment[], filter: { owner?: string | null; industry?: string | null }): Promise<CustomerSegment[]> {
  const wanted = SEGMENTS.filter((s) => segments.includes(s));
  const bySegment = await companiesBySegment(ctx.db, ctx.tenantId, wanted, filter);
  return wanted.map((segment) => {
    const companies = bySegment.get(segment)!;
    return { segment, companyCount: companies.length, companies };
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
}
