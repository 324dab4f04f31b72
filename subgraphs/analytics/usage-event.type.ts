import { Field, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

@ObjectType({ description: 'One raw event of the analytics tool (Amplitude), as synced: the rows the daily rollups are built from.' })
export class UsageEvent {
  @Field(() => DateTimeISOResolver) occurredAt!: Date;
  @Field(() => String, { description: "The vendor's deduplication id of the event (Amplitude insert_id); unique with occurredAt." })
  insertId!: string;
  @Field(() => String, { description: 'The event name in the analytics tool, e.g. "feature_used".' })
  eventType!: string;
  endUserId!: string;
  featureId!: string | null;
  vendor!: string;
  syncedAt!: Date;
}
