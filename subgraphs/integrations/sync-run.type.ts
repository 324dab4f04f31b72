import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Connection } from '../../core/connection.js';

export enum SyncRunKind {
  FULL = 'full',
  INCREMENTAL = 'incremental',
  RECONCILE = 'reconcile',
}
registerEnumType(SyncRunKind, {
  name: 'SyncRunKind',
  valuesConfig: {
    FULL: { description: 'Every record of the stream, from the start.' },
    INCREMENTAL: { description: 'Records changed since the stream\'s cursor.' },
    RECONCILE: { description: 'A comparison pass that repairs what webhooks or increments missed.' },
  },
});

export enum SyncRunStatus {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
}
registerEnumType(SyncRunStatus, { name: 'SyncRunStatus' });

@ObjectType({ description: 'One run of the sync engine over one stream of a connection.' })
export class SyncRun {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The vendor stream, e.g. "pull_requests".' }) stream!: string;
  @Field(() => SyncRunKind) kind!: SyncRunKind;
  @Field(() => SyncRunStatus) status!: SyncRunStatus;
  @Field(() => DateTimeISOResolver) startedAt!: Date;
  @Field(() => DateTimeISOResolver, { nullable: true }) finishedAt!: Date | null;
  @Field(() => Float, { nullable: true, description: 'finishedAt - startedAt in milliseconds; null while RUNNING.' }) durationMs!: number | null;
  @Field(() => Int, { description: 'Records read from the vendor.' }) recordsRead!: number;
  @Field(() => Int, { description: 'Records written (inserted or changed) in our tables.' }) recordsWritten!: number;
  @Field(() => Int, { description: 'Records rejected; each is a RecordError of the connection.' }) recordErrors!: number;
  @Field(() => String, { nullable: true, description: 'Why the run FAILED.' }) error!: string | null;
}

export const SyncRunConnection = Connection(SyncRun);
