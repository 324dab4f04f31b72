import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Connection } from '../../core/connection.js';
import { SourceRow } from '../../core/source.type.js';

export enum DeploymentStatus {
  SUCCESS = 'success',
  FAILURE = 'failure',
  IN_PROGRESS = 'in_progress',
}
registerEnumType(DeploymentStatus, {
  name: 'DeploymentStatus',
  description: 'FAILURE: the deployment reached its environment and caused a failure there (a change failure, DORA).',
});

@ObjectType({ description: 'A deployment of a repository to an environment (GitHub Deployments).' })
@Directive('@key(fields: "id")')
export class Deployment extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'e.g. "production", "staging"; DORA metrics count "production" (case-insensitive).' }) environment!: string;
  @Field(() => DeploymentStatus) status!: DeploymentStatus;
  @Field(() => String, { nullable: true, description: 'The commit deployed.' }) sha!: string | null;
  @Field(() => DateTimeISOResolver) deployedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When service was restored after a FAILURE deployment.' }) restoredAt!: Date | null;
  repositoryId!: string;
  releaseId!: string | null;
}

export const DeploymentConnection = Connection(Deployment);
