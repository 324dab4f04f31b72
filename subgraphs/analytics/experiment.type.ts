import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

export enum ExperimentStatus {
  DRAFT = 'draft',
  RUNNING = 'running',
  STOPPED = 'stopped',
}
registerEnumType(ExperimentStatus, { name: 'ExperimentStatus' });

@ObjectType({ description: 'An A/B experiment run in the analytics tool (Amplitude Experiment).' })
@Directive('@key(fields: "id")')
export class Experiment extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => ExperimentStatus) status!: ExperimentStatus;
  @Field(() => DateTimeISOResolver, { nullable: true }) startedAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) endedAt!: Date | null;
  featureId!: string | null;
}
