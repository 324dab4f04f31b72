import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

export enum IdentityMatch {
  EXPLICIT = 'explicit',
  DOMAIN = 'domain',
  CREATED = 'created',
}
registerEnumType(IdentityMatch, {
  name: 'IdentityMatch',
  valuesConfig: {
    EXPLICIT: { description: 'An explicit mapping joined the record to the company.' },
    DOMAIN: { description: 'The record has the same web domain as the company.' },
    CREATED: { description: 'The company was created from this record.' },
  },
});

@ObjectType({ description: "A vendor's record of this company, and why it was joined to it." })
export class CompanyIdentity {
  @Field(() => String) vendor!: string;
  @Field(() => String) externalId!: string;
  @Field(() => String, { nullable: true }) domain!: string | null;
  @Field(() => IdentityMatch) matchedBy!: IdentityMatch;
  @Field(() => DateTimeISOResolver) matchedAt!: Date;
  companyId!: string;
}
