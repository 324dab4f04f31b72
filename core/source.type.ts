import { Directive, Field, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

@ObjectType({ description: 'Where a record came from and how fresh our copy is.' })
@Directive('@shareable')
export class Source {
  @Field(() => String, { description: 'The vendor the record was synced from, e.g. "jira".' })
  vendor!: string;

  @Field(() => String, { description: "The record's id in the vendor's system." })
  externalId!: string;

  @Field(() => String, { nullable: true, description: 'A link to the record in the vendor.' })
  url!: string | null;

  @Field(() => DateTimeISOResolver, { description: 'When we last synced the record.' })
  syncedAt!: Date;
}

/** The source columns a vendor-backed row object carries, for its `source` field. */
export abstract class SourceRow {
  vendor!: string;
  external_id!: string;
  url!: string | null;
  synced_at!: Date;
}

export function sourceOf(row: SourceRow): Source {
  return { vendor: row.vendor, externalId: row.external_id, url: row.url, syncedAt: row.synced_at };
}
