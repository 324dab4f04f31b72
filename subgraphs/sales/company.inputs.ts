import { ArgsType, Field, ID, InputType, registerEnumType } from 'type-graphql';
import { BulkPageArgs } from '../../core/pagination.js';
import { SortDirection } from '../../core/sort.js';
import { CompanySegment } from './company.type.js';

export enum CompanyOrderField {
  NAME = 'name',
  CREATED_AT = 'created_at',
  UPDATED_AT = 'updated_at',
}
registerEnumType(CompanyOrderField, { name: 'CompanyOrderField' });

@InputType({ description: 'Every condition given must hold.' })
export class CompanyFilter {
  @Field(() => [ID], { nullable: true }) ids?: string[] | null;
  @Field(() => [CompanySegment], { nullable: true }) segment?: CompanySegment[] | null;
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' }) search?: string | null;
  @Field(() => String, { nullable: true, description: 'Exact web domain, e.g. "acme.com".' }) domain?: string | null;
}

@InputType()
export class CompanyOrder {
  @Field(() => CompanyOrderField) field!: CompanyOrderField;
  @Field(() => SortDirection, { defaultValue: SortDirection.ASC }) direction!: SortDirection;
}

@ArgsType()
export class CompaniesArgs extends BulkPageArgs {
  @Field(() => CompanyFilter, { nullable: true }) filter?: CompanyFilter | null;
  @Field(() => CompanyOrder, { nullable: true, description: 'Default: name ascending.' }) orderBy?: CompanyOrder | null;
}
