import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { assertId } from '../../core/ids.js';
import { PageArgs } from '../../core/pagination.js';
import { DateTimeISOResolver } from 'graphql-scalars';
import { syncedAsOf } from '../../core/freshness.js';
import { IntegrationConnection, IntegrationDomain } from './connection.type.js';
import { ConnectionsArgs } from './connection.inputs.js';
import { connectionList } from './connection.repository.js';
import { SyncRunConnection } from './sync-run.type.js';
import { RecordErrorConnection } from './record-error.type.js';
import { WebhookStats } from './webhook-stats.type.js';

@Resolver(() => IntegrationConnection)
export class ConnectionResolver {
  @Query(() => [IntegrationConnection], { description: "The tenant's vendor connections and their health, by vendor, then name: one per connected vendor account (a handful), so a plain list, not a connection." })
  connections(@Args(() => ConnectionsArgs) args: ConnectionsArgs, @Ctx() ctx: Context): Promise<IntegrationConnection[]> {
    return connectionList(ctx.db, ctx.tenantId, args);
  }

  @Query(() => DateTimeISOResolver, {
    nullable: true,
    description: "As of when the tenant's data of these domains is synced: the oldest lastSuccessAt of their connections that are not disconnected; null when a domain has none or one has never synced. Every report's asOf is this over the domains it reads.",
  })
  syncedAsOf(@Arg('domains', () => [IntegrationDomain]) domains: IntegrationDomain[], @Ctx() ctx: Context): Promise<Date | null> {
    return syncedAsOf(ctx, domains);
  }

  @Query(() => IntegrationConnection, { nullable: true, description: 'A connection by id; null when this tenant has none with that id.' })
  connection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<IntegrationConnection | null> {
    return ctx.loaders.integrations.connectionById.load(assertId(id));
  }

  @FieldResolver(() => SyncRunConnection, { description: "The connection's sync runs over every stream, newest started first." })
  runs(@Root() connection: IntegrationConnection, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return ctx.loaders.integrations.runsOfConnection({ first: page.first, after: page.after }).load(connection.id);
  }

  @FieldResolver(() => WebhookStats, { description: "The vendor's webhook deliveries to this connection, by what became of them." })
  webhooks(@Root() connection: IntegrationConnection, @Ctx() ctx: Context) {
    return ctx.loaders.integrations.webhooksOfConnection.load(connection.id);
  }

  @FieldResolver(() => RecordErrorConnection, { description: 'The records its syncs rejected, newest first.' })
  recordErrors(@Root() connection: IntegrationConnection, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return ctx.loaders.integrations.recordErrorsOfConnection({ first: page.first, after: page.after }).load(connection.id);
  }
}
