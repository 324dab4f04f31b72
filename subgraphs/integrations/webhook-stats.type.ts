import { DateTimeISOResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "What became of the vendor's webhook deliveries to a connection (POST /webhooks/<vendor>/<connection id>), counted by receipt: one per vendor delivery or event id, however often it was sent." })
export class WebhookStats {
  @Field(() => Int, { description: 'Deliveries received (duplicates counted once).' }) received!: number;
  @Field(() => Int, { description: 'Stored and waiting for the job queue.' }) pending!: number;
  @Field(() => Int, { description: 'Processed: their records landed (or were older than what was stored).' }) processed!: number;
  @Field(() => Int, { description: 'Event types no connector acts on: acknowledged and ignored.' }) ignored!: number;
  @Field(() => Int, { description: 'Arrived while the connection was paused or needed re-authentication; its next sync reads the change.' }) skipped!: number;
  @Field(() => Int, { description: 'Failed after every attempt; `lastFailure` says why.' }) failed!: number;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the last delivery arrived.' }) lastReceivedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'The error of the newest failed delivery.' }) lastFailure!: string | null;
}
