import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

@ObjectType({ description: 'A person using the product, as identified by the analytics tool (Amplitude).' })
@Directive('@key(fields: "id")')
export class EndUser {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'First event the analytics tool saw from this user.' }) firstSeenAt!: Date | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Latest event the analytics tool saw from this user.' }) lastSeenAt!: Date | null;
  companyId!: string | null;
  vendor!: string;
  external_id!: string;
  url!: string | null;
  synced_at!: Date;
}
