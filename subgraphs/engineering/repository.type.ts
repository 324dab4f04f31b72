import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../core/connection.js';

@ObjectType({ description: 'A source code repository (GitHub).' })
@Directive('@key(fields: "id")')
export class Repository {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'owner/name, e.g. "acme/checkout".' }) fullName!: string;
  @Field(() => String, { nullable: true, description: 'The team that owns the repository; `doraMetrics(team:)` filters by it.' }) team!: string | null;
  @Field(() => String, { description: 'The branch pull requests merge into, e.g. "main".' }) defaultBranch!: string;
  vendor!: string;
  external_id!: string;
  url!: string | null;
  synced_at!: Date;
}

export const RepositoryConnection = Connection(Repository);
