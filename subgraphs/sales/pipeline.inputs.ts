import { ArgsType, Field, InputType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { CompanySegment } from './company.type.js';

@InputType({ description: 'Which open deals the pipeline counts: every condition given must hold.' })
export class PipelineFilter {
  @Field(() => LocalDateResolver, { nullable: true, description: 'Created on or after this day, in `timeZone`.' }) createdFrom?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Created before this day, in `timeZone`.' }) createdTo?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Expected close date on or after this day (a deal without one is left out).' }) closeFrom?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Expected close date before this day (a deal without one is left out).' }) closeTo?: string | null;
  @Field(() => [CompanySegment], { nullable: true, description: "The segment of the deal's company." }) segment?: CompanySegment[] | null;
  @Field(() => String, { nullable: true, description: "The account owner of the deal's company, exactly as the CRM names them (deals carry no owner of their own)." })
  owner?: string | null;
}

@ArgsType()
export class PipelineArgs {
  @Field(() => PipelineFilter, { nullable: true }) filter?: PipelineFilter | null;
  @Field(() => String, {
    defaultValue: 'UTC',
    description: 'IANA time zone in which `createdFrom` and `createdTo` start their days (e.g. "America/New_York"); close dates are calendar dates and take none.',
  })
  timeZone!: string;
}
