import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

@ObjectType({ description: 'A person using the product, as identified by the analytics tool (Amplitude).' })
@Directive('@key(fields: "id")')
export class EndUser extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'First event the analytics tool saw from this user.' }) firstSeenAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Latest event the analytics tool saw from this user.' }) lastSeenAt!: Date | null;
  companyId!: string | null;
}
