import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { BulkPageArgs } from '../../core/pagination.js';
import { SortDirection } from '../../core/sort.js';

export enum DealOrderField {
  CLOSE_DATE = 'close_date',
  AMOUNT = 'amount',
  UPDATED_AT = 'updated_at',
}
registerEnumType(DealOrderField, { name: 'DealOrderField' });

@InputType({ description: 'Every condition given must hold.' })
export class DealFilter {
  @Field(() => ID, { nullable: true }) companyId?: string | null;
  @Field(() => String, { nullable: true, description: "Exact stage name, e.g. 'Closed Won'." }) stage?: string | null;
  @Field(() => Boolean, { nullable: true }) isWon?: boolean | null;
  @Field(() => Boolean, { nullable: true }) isClosed?: boolean | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Close date on or after this day.' }) closeFrom?: string | null;
  @Field(() => LocalDateResolver, { nullable: true, description: 'Close date before this day.' }) closeTo?: string | null;
}

@InputType()
export class DealOrder {
  @Field(() => DealOrderField) field!: DealOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@ArgsType()
export class DealsArgs extends BulkPageArgs {
  @Field(() => DealFilter, { nullable: true }) filter?: DealFilter | null;
  @Field(() => DealOrder, { nullable: true, description: 'Default: close date, newest first (deals without one last).' }) orderBy?: DealOrder | null;
}
