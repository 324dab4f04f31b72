import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { BulkPageArgs } from '../../core/pagination.js';

@InputType({ description: 'Every condition given must hold.' })
export class EndUserFilter {
  @Field(() => ID, { nullable: true, description: "Only this company's users." }) companyId?: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Last seen at or after this instant.' }) lastSeenFrom?: Date | null;
}

@ArgsType()
export class EndUsersArgs extends BulkPageArgs {
  @Field(() => EndUserFilter, { nullable: true }) filter?: EndUserFilter | null;
}
