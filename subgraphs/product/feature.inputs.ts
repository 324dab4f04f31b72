import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { BulkPageArgs } from '../../core/pagination.js';
import { MAX_FEATURE_COLUMNS } from '../../core/feature-columns.js';
import { SortDirection } from '../../core/sort.js';
import { FeatureStatus } from './feature.type.js';

export enum FeatureOrderField {
  NAME = 'name',
  RELEASED_AT = 'released_at',
  UPDATED_AT = 'updated_at',
  CREATED_AT = 'created_at',
}
registerEnumType(FeatureOrderField, { name: 'FeatureOrderField' });

@InputType({ description: 'Every condition given must hold.' })
export class FeatureFilter {
  @Field(() => [ID], { nullable: true }) ids?: string[] | null;
  @Field(() => [FeatureStatus], { nullable: true }) status?: FeatureStatus[] | null;
  @Field(() => String, { nullable: true }) team?: string | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' }) search?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Released at or after this instant.' }) releasedFrom?: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Released before this instant.' }) releasedTo?: Date | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Released in the last N days: on or after midnight UTC N days before today (the seed report uses 90).',
  })
  releasedWithinDays?: number | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Changed at or after this instant (incremental refresh).' }) updatedFrom?: Date | null;
}

@InputType()
export class FeatureOrder {
  @Field(() => FeatureOrderField) field!: FeatureOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@ArgsType()
export class FeaturesArgs extends BulkPageArgs {
  @Field(() => FeatureFilter, { nullable: true }) filter?: FeatureFilter | null;
  @Field(() => FeatureOrder, { nullable: true, description: 'Default: name ascending.' }) orderBy?: FeatureOrder | null;
}

@ArgsType()
export class FeatureColumnsArgs extends FeaturesArgs {
  @Field(() => Int, { nullable: true, description: `Page size: 1 to ${MAX_FEATURE_COLUMNS.toLocaleString('en')} (a row of columns is a few scalars).` })
  override first?: number | null = undefined;
}
