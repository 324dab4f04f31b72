import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

export enum HealthBand {
  RED = 'red',
  YELLOW = 'yellow',
  GREEN = 'green',
}
registerEnumType(HealthBand, {
  name: 'HealthBand',
  valuesConfig: { RED: { description: 'score < 40' }, YELLOW: { description: '40 <= score < 70' }, GREEN: { description: 'score >= 70' } },
});

export function bandOf(score: number): HealthBand {
  return score < 40 ? HealthBand.RED : score < 70 ? HealthBand.YELLOW : HealthBand.GREEN;
}

@ObjectType({ description: "A Gainsight health score snapshot: the weighted score sum(w_i * score_i) / sum(w_i), 0 to 100." })
@Directive('@key(fields: "id")')
export class HealthScore extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => Float) score!: number;
  @Field(() => Float, { nullable: true, description: 'The score of the snapshot before this one.' }) previousScore!: number | null;
  @Field(() => HealthBand) band!: HealthBand;
  @Field(() => DateTimeISOResolver) measuredAt!: Date;
  companyId!: string;
}
