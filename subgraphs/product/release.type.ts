import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { SourceRow } from '../../core/source.type.js';

@ObjectType({ description: 'A release (a Jira fix version): the features that shipped together.' })
@Directive('@key(fields: "id")')
export class Release extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Boolean) released!: boolean;
  @Field(() => LocalDateResolver, { nullable: true }) releaseDate!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) releasedAt!: Date | null;
  @Field(() => DateTimeISOResolver) updatedAt!: Date;
}
