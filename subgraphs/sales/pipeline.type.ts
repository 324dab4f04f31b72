import { Field, Int, ObjectType } from 'type-graphql';
import type { PipelineFilterValues } from './pipeline.repository.js';

@ObjectType({
  description:
    'One stage of the open pipeline in one currency: the open deals (is_closed = false) in that stage. Every stage and ' +
    "currency of the tenant's open deals has a row, also when the filter leaves none of its deals (then zeros), so a " +
    'BI refresh keeps the same rows.',
})
export class PipelineStage {
  @Field(() => String, { description: "The stage, as the CRM names it (e.g. 'Qualified To Buy')." }) stage!: string;
  @Field(() => String, { description: 'ISO 4217 currency of the deals counted in this row: amounts in different currencies are never added.' })
  currency!: string;
  @Field(() => Int, { description: 'count(*) of the open deals in the stage and currency that match the filter.' }) deals!: number;
  @Field(() => Int, { description: 'count(distinct company_id) of those deals.' }) companies!: number;
  totalValue!: string;
}

@ObjectType({
  description:
    "The open pipeline by stage (sales.deals with is_closed = false), over the tenant's CRMs. The deals carry no win " +
    "probability (neither CRM's is synced), so there is no weighted amount: only counts and amounts.",
})
export class PipelineReport {
  filter!: PipelineFilterValues;
  @Field(() => String, { description: 'The canonical IANA name of the time zone of `createdFrom` and `createdTo`.' }) timeZone!: string;
}
