import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

export enum FeedbackKind {
  NPS = 'nps',
  CSAT = 'csat',
  COMMENT = 'comment',
}
registerEnumType(FeedbackKind, {
  name: 'FeedbackKind',
  valuesConfig: { NPS: { description: 'Score 0-10.' }, CSAT: { description: 'Score 1-5.' }, COMMENT: { description: 'Text only.' } },
});

@ObjectType({ description: 'A piece of customer feedback on a feature.' })
@Directive('@key(fields: "id")')
export class Feedback extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => FeedbackKind) kind!: FeedbackKind;
  @Field(() => Int, { nullable: true }) score!: number | null;
  @Field(() => String, { nullable: true }) body!: string | null;
  @Field(() => DateTimeISOResolver) receivedAt!: Date;
  featureId!: string | null;
  companyId!: string | null;
}
