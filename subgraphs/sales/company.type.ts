import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

export enum CompanySegment {
  SMB = 'smb',
  MID_MARKET = 'mid_market',
  ENTERPRISE = 'enterprise',
}
registerEnumType(CompanySegment, { name: 'CompanySegment' });

@ObjectType({ description: 'A customer: one per real company, resolved across the CRM, billing, success and analytics tools.' })
@Directive('@key(fields: "id")')
export class Company extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'The web domain, lower case: the key identity resolution falls back on.' }) domain!: string | null;
  @Field(() => String, { nullable: true }) industry!: string | null;
  @Field(() => Int, { nullable: true }) employees!: number | null;
  @Field(() => CompanySegment) segment!: CompanySegment;
  @Field(() => String, { nullable: true, description: 'The account owner in the CRM.' }) owner!: string | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
  @Field(() => DateTimeISOResolver) updatedAt!: Date;
}
