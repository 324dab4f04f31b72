import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { BulkPageArgs } from '../../core/pagination.js';

@InputType({ description: 'Every condition given must hold.' })
export class UsageEventFilter {
  @Field(() => ID, { nullable: true, description: 'Only events of this feature.' }) featureId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only events of this end user.' }) endUserId?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Occurred at or after this instant.' }) from?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Occurred before this instant.' }) to?: Date | null;
}

@ArgsType()
export class UsageEventsArgs extends BulkPageArgs {
  @Field(() => UsageEventFilter, { nullable: true }) filter?: UsageEventFilter | null;
}
