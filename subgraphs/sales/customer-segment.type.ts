import { ArgsType, Directive, Field, InputType, Int, ObjectType } from 'type-graphql';
import { CompanySegment } from './company.type.js';

@ObjectType({
  description:
    "A segment of the tenant's customers (sales.companies.segment, from the CRM's employee count: enterprise 1,000+, " +
    'mid-market 100+, else small business), with the companies in it. Customer success adds their health and churn ' +
    'risk, from the same companies.',
})
@Directive('@key(fields: "segment")')
export class CustomerSegment {
  @Field(() => CompanySegment) segment!: CompanySegment;
  @Field(() => Int, { description: 'count(*) of the companies in the segment that match the filter.' }) companyCount!: number;
  /** The ids of those companies, ascending: what `companies` lists. */
  companyIds!: string[];
}

@InputType({ description: 'Which companies the segments hold: every condition given must hold.' })
export class CustomerSegmentFilter {
  @Field(() => [CompanySegment], { nullable: true, description: 'Only these segments (rows); all three when omitted.' }) segment?: CompanySegment[] | null;
  @Field(() => String, { nullable: true, description: 'The account owner in the CRM, exactly.' }) owner?: string | null;
  @Field(() => String, { nullable: true, description: "The industry, as stored: lower case, words joined by a space ('computer software')." })
  industry?: string | null;
}

@ArgsType()
export class CustomerSegmentsArgs {
  @Field(() => CustomerSegmentFilter, { nullable: true }) filter?: CustomerSegmentFilter | null;
}
