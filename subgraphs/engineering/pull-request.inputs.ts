import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { BulkPageArgs } from '../../core/pagination.js';
import { PullRequestState } from './pull-request.type.js';

@InputType({ description: 'Every condition given must hold.' })
export class PullRequestFilter {
  @Field(() => ID, { nullable: true }) repositoryId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The feature (product subgraph) the pull request implements.' }) featureId?: string | null;
  @Field(() => PullRequestState, { nullable: true }) state?: PullRequestState | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Merged at or after this instant.' }) mergedFrom?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Merged before this instant.' }) mergedTo?: Date | null;
}

@ArgsType()
export class PullRequestsArgs extends BulkPageArgs {
  @Field(() => PullRequestFilter, { nullable: true }) filter?: PullRequestFilter | null;
}
