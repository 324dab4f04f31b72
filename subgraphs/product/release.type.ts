import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';

@ObjectType({ description: 'A release (a Jira fix version): the features that shipped together.' })
@Directive('@key(fields: "id")')
export class Release {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Boolean) released!: boolean;
  @Field(() => LocalDateResolver, { nullable: true }) releaseDate!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) releasedAt!: Date | null;
  @Field(() => DateTimeISOResolver) updatedAt!: Date;
  vendor!: string;
  external_id!: string;
  url!: string | null;
  synced_at!: Date;
}
