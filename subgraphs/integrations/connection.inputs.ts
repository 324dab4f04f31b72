import { ArgsType, Field } from 'type-graphql';
import { ConnectionStatus } from './connection.type.js';

@ArgsType()
export class ConnectionsArgs {
  @Field(() => String, { nullable: true, description: 'Only this vendor, case-insensitive, e.g. "github".' }) vendor?: string | null;
  @Field(() => ConnectionStatus, { nullable: true }) status?: ConnectionStatus | null;
}
