import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

export enum FeatureStatus {
  BACKLOG = 'backlog',
  PLANNED = 'planned',
  IN_PROGRESS = 'in_progress',
  RELEASED = 'released',
  ARCHIVED = 'archived',
}
registerEnumType(FeatureStatus, { name: 'FeatureStatus' });

export enum FeaturePriority {
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
  CRITICAL = 'critical',
}
registerEnumType(FeaturePriority, { name: 'FeaturePriority' });

@ObjectType({ description: 'A product feature, as planned and tracked in Jira or Productboard.' })
@Directive('@key(fields: "id")')
export class Feature extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The tracker key, e.g. "PG-42".' }) key!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => FeatureStatus) status!: FeatureStatus;
  @Field(() => FeaturePriority) priority!: FeaturePriority;
  @Field(() => String, { nullable: true }) team!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the feature shipped to customers.' }) releasedAt!: Date | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver, { description: 'Last change; monotonic enough for incremental refresh with orderBy UPDATED_AT.' }) updatedAt!: Date;
  releaseId!: string | null;
}
