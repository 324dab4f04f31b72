import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { BulkPageArgs } from '../../core/pagination.js';
import { DeploymentStatus } from './deployment.type.js';

@InputType({ description: 'Every condition given must hold.' })
export class DeploymentFilter {
  @Field(() => ID, { nullable: true }) repositoryId?: string | null;
  @Field(() => String, { nullable: true, description: 'Environment name, case-insensitive, e.g. "production".' }) environment?: string | null;
  @Field(() => DeploymentStatus, { nullable: true }) status?: DeploymentStatus | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Deployed at or after this instant.' }) from?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Deployed before this instant.' }) to?: Date | null;
}

@ArgsType()
export class DeploymentsArgs extends BulkPageArgs {
  @Field(() => DeploymentFilter, { nullable: true }) filter?: DeploymentFilter | null;
}
