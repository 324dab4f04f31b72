import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Connection } from '../../core/connection.js';

@ObjectType({ description: 'A vendor record a sync could not take in, and why; the rest of the run went on.' })
export class RecordError {
  @Field(() => ID) id!: string;
  @Field(() => String) stream!: string;
  @Field(() => String, { nullable: true, description: "The record's id in the vendor, when it could be read." }) externalId!: string | null;
  @Field(() => String) reason!: string;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}

export const RecordErrorConnection = Connection(RecordError);
