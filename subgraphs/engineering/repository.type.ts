import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../core/connection.js';
import { SourceRow } from '../../core/source.type.js';

@ObjectType({ description: 'A source code repository (GitHub).' })
@Directive('@key(fields: "id")')
export class Repository extends SourceRow {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'owner/name, e.g. "acme/checkout".' }) fullName!: string;
  @Field(() => String, { nullable: true, description: 'The team that owns the repository; `doraMetrics(team:)` filters by it.' }) team!: string | null;
  @Field(() => String, { description: 'The branch pull requests merge into, e.g. "main".' }) defaultBranch!: string;
}

export const RepositoryConnection = Connection(Repository);
