import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

export enum IntegrationDomain {
  PRODUCT = 'product',
  ENGINEERING = 'engineering',
  ANALYTICS = 'analytics',
  SALES = 'sales',
  FINANCE = 'finance',
  CUSTOMER_SUCCESS = 'customer_success',
}
registerEnumType(IntegrationDomain, { name: 'IntegrationDomain', description: 'The domain (subgraph) a connection feeds.' });

export enum ConnectionStatus {
  ACTIVE = 'active',
  PAUSED = 'paused',
  NEEDS_REAUTH = 'needs_reauth',
  ERROR = 'error',
  DISCONNECTED = 'disconnected',
}
registerEnumType(ConnectionStatus, {
  name: 'ConnectionStatus',
  valuesConfig: {
    NEEDS_REAUTH: { description: 'The vendor refused our credentials: someone must reconnect the integration.' },
    ERROR: { description: 'The last sync failed; see lastError. Retries continue with backoff.' },
  },
});

/**
 * One tenant's connection to one vendor account: the row behind seed 002's "Integration Health"
 * page. Its credentials and config are never part of this type.
 */
@ObjectType('Connection', {
  description:
    "A tenant's connection to a vendor account and the health of its sync: last success, last error, lag, volume. " +
    'Credentials and configuration are never exposed.',
})
@Directive('@key(fields: "id")')
export class IntegrationConnection {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The vendor, e.g. "github", "salesforce".' }) vendor!: string;
  @Field(() => IntegrationDomain) domain!: IntegrationDomain;
  @Field(() => String, { description: 'A name a person gave the connection.' }) name!: string;
  @Field(() => ConnectionStatus) status!: ConnectionStatus;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When a sync of this connection last succeeded.' }) lastSuccessAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'The last sync error, as the engine recorded it.' }) lastError!: string | null;
  @Field(() => DateTimeISOResolver, { nullable: true }) lastErrorAt!: Date | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Sync lag: whole seconds from lastSuccessAt to now (database clock, never negative); null if never synced.',
  })
  lagSeconds!: number | null;
  @Field(() => Float, { description: 'Records synced over the connection\'s life (a 64-bit count, as a number).' }) recordsSynced!: number;
  @Field(() => DateTimeISOResolver, { nullable: true, description: 'When the next scheduled sync is due.' }) nextRunAt!: Date | null;
  @Field(() => DateTimeISOResolver) createdAt!: Date;
}
