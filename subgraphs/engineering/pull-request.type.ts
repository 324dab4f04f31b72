import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Connection } from '../../core/connection.js';
import { SourceRow } from '../../core/source.type.js';

export enum PullRequestState {
  OPEN = 'open',
  CLOSED = 'closed',
  MERGED = 'merged',
}
registerEnumType(PullRequestState, { name: 'PullRequestState', description: 'CLOSED means closed without merging.' });

@ObjectType({ description: 'A pull request (GitHub), linked to the feature it implements when its title or branch names one.' })
@Directive('@key(fields: "id")')
export class PullRequest extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'The number within its repository, e.g. 42 for acme/checkout#42.' }) number!: number;
  @Field(() => String) title!: string;
  @Field(() => PullRequestState) state!: PullRequestState;
  @Field(() => String, { nullable: true, description: "The author's login." }) author!: string | null;
  @Field(() => DateTimeISOResolver) openedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'The first commit of the change, when known.' }) firstCommitAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) mergedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) closedAt!: Date | null;
  @Field(() => Int, { description: 'Lines added.' }) additions!: number;
  @Field(() => Int, { description: 'Lines deleted.' }) deletions!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Lead time for changes (DORA), in hours: `deployment.deployedAt - coalesce(firstCommitAt, openedAt)` for the deployment ' +
      'that shipped this pull request, once that is a production deployment (environment "production", case-insensitive) ' +
      'that finished (status SUCCESS or FAILURE); null until then.',
  })
  leadTimeHours!: number | null;
  repositoryId!: string;
  featureId!: string | null;
}

export const PullRequestConnection = Connection(PullRequest);
