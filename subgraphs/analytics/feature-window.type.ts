import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { UsageWindow } from './metrics.js';

/** What FeatureAdoption and FeatureUsage share: the feature and the window their fields resolve over. */
@ObjectType()  // never referenced, so never emitted: only its subclasses are
export abstract class FeatureWindow implements UsageWindow {
  @Field(() => Int, { description: 'Length of the window in days.' }) days!: number;
  @Field(() => DateTimeISOResolver, { description: 'Midnight UTC `days` days before today: the first instant of the window.' })
  windowStart!: Date;
  fromDay!: string;
  featureId!: string;
}
