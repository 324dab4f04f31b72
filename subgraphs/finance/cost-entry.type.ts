import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

export enum CostCategory {
  ENGINEERING = 'engineering',
  DESIGN = 'design',
  INFRASTRUCTURE = 'infrastructure',
  RESEARCH = 'research',
  OTHER = 'other',
}
registerEnumType(CostCategory, { name: 'CostCategory' });

@ObjectType({ description: 'A line of the development cost ledger, attributed to a feature.' })
@Directive('@key(fields: "id")')
export class CostEntry extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => CostCategory) category!: CostCategory;
  @Field(() => LocalDateResolver) incurredOn!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  featureId!: string | null;
  amountValue!: string;
  currency!: string;
}
