import { Field, InputType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

@InputType({ description: 'A vendor account to connect. Credentials are stored encrypted and never returned.' })
export class ConnectVendorInput {
  @Field(() => String, { description: 'The vendor: jira, productboard, github, amplitude, salesforce, hubspot, stripe, gainsight.' }) vendor!: string;
  @Field(() => String, { nullable: true, description: 'A name for people; defaults to the vendor\'s product name.' }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'The API base URL, when not the vendor\'s public one (a sandbox, a simulator).' }) baseUrl?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Vendor settings: site, project, organisation, ...' }) config?: Record<string, unknown> | null;
  @Field(() => GraphQLJSONObject, {
    description: 'The secrets: { token } (bearer), { username, password } (basic), { key } (API key header) or { clientId, clientSecret, refreshToken } (OAuth 2.0).',
  })
  credentials!: Record<string, unknown>;
}
