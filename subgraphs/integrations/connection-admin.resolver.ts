import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { Scope } from '../../core/auth.js';
import { config } from '../../core/config.js';
import type { Context } from '../../core/context.js';
import { badUserInput, notFound } from '../../core/errors.js';
import { RequiresScopes } from '../../core/scopes.js';
import { assertId } from '../../core/ids.js';
import { requiredCredentials, type Credentials } from '../../sync/auth.js';
import { connectors } from '../../sync/connectors.js';
import { parseKeyRing } from '../../sync/credentials.js';
import { revokeCredentials } from '../../sync/revoke.js';
import { IntegrationConnection } from './connection.type.js';
import { ConnectVendorInput } from './connection-admin.inputs.js';
import { disconnect, requestSync, transition } from './connection-admin.repository.js';
import { createConnection } from '../../sync/connection-store.js';

@ObjectType({ description: 'What disconnecting removed.' })
class DisconnectResult {
  @Field(() => IntegrationConnection) connection!: IntegrationConnection;
  @Field(() => Int, { description: 'Cached rows of this vendor deleted.' }) rowsDeleted!: number;
  @Field(() => Boolean, { description: 'Whether the vendor confirmed the token revoked (false when the vendor has no revocation endpoint or refused).' }) revoked!: boolean;
}

let ring: ReturnType<typeof parseKeyRing> | undefined;
const keyRing = () => (ring ??= parseKeyRing(config().CREDENTIALS_KEYS));

async function reload(ctx: Context, id: string): Promise<IntegrationConnection> {
  ctx.loaders.integrations.connectionById.clear(id);
  const connection = await ctx.loaders.integrations.connectionById.load(id);
  if (!connection) throw notFound(`No connection ${id} in this tenant.`);
  return connection;
}

function credentialsOf(input: Record<string, unknown>, needed: string[], vendor: string): Credentials {
  const credentials: Credentials = {};
  for (const [key, value] of Object.entries(input)) {
    if (typeof value !== 'string' && typeof value !== 'number') throw badUserInput(`credentials.${key} must be text or a number.`, { argument: 'credentials' });
    credentials[key] = value;
  }
  const missing = needed.filter((k) => typeof credentials[k] !== 'string' || !credentials[k]);
  if (missing.length) throw badUserInput(`${vendor} needs credentials ${needed.map((k) => `"${k}"`).join(', ')}; missing ${missing.join(', ')}.`, { argument: 'credentials' });
  return credentials;
}

@Resolver()
export class ConnectionAdminResolver {
  @RequiresScopes(Scope.IntegrationsAdmin)
  @Mutation(() => IntegrationConnection, { description: 'Connects a vendor account (one per vendor): credentials are encrypted at rest; the first sync starts at once. Needs integrations.admin.' })
  async connectVendor(@Arg('input', () => ConnectVendorInput) input: ConnectVendorInput, @Ctx() ctx: Context): Promise<IntegrationConnection> {
    const connector = connectors.get(input.vendor.toLowerCase());
    if (!connector) throw badUserInput(`Unknown vendor "${input.vendor}": one of ${[...connectors.keys()].join(', ')}.`, { argument: 'vendor' });
    if (input.baseUrl && !/^https?:\/\/[^\s]+$/.test(input.baseUrl)) throw badUserInput('baseUrl must be an http(s) URL.', { argument: 'baseUrl' });
    const credentials = credentialsOf(input.credentials, requiredCredentials(connector.auth), connector.vendor);
    try {
      const { id } = await createConnection(ctx.db, keyRing(), {
        tenantId: ctx.tenantId, connector, credentials, name: input.name ?? undefined, baseUrl: input.baseUrl, config: input.config ?? undefined,
      });
      return reload(ctx, id);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw badUserInput(`${connector.title} is already connected: disconnect it first.`, { argument: 'vendor' });
      throw error;
    }
  }

  @RequiresScopes(Scope.IntegrationsAdmin)
  @Mutation(() => IntegrationConnection, { description: 'Syncs the connection as soon as a worker is free; fromScratch forgets its cursors (a new backfill). Needs integrations.admin.' })
  async syncConnection(@Arg('id', () => ID) id: string, @Arg('fromScratch', () => Boolean, { defaultValue: false }) fromScratch: boolean, @Ctx() ctx: Context) {
    if (!(await requestSync(ctx.db, ctx.tenantId, assertId(id), fromScratch))) throw badUserInput('Only an active connection (or one whose last sync failed) can sync: resume or reconnect it first.', { argument: 'id' });
    return reload(ctx, id);
  }

  @RequiresScopes(Scope.IntegrationsAdmin)
  @Mutation(() => IntegrationConnection, { description: 'Stops syncing: no new runs, and a run in progress stops writing at its next page. Needs integrations.admin.' })
  async pauseConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    if (!(await transition(ctx.db, ctx.tenantId, assertId(id), ['active', 'error', 'paused'], 'paused', false))) throw badUserInput('Only an active connection can be paused.', { argument: 'id' });
    return reload(ctx, id);
  }

  @RequiresScopes(Scope.IntegrationsAdmin)
  @Mutation(() => IntegrationConnection, { description: 'Resumes a paused connection and syncs it at once. Needs integrations.admin.' })
  async resumeConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    if (!(await transition(ctx.db, ctx.tenantId, assertId(id), ['paused', 'active'], 'active', true))) throw badUserInput('Only a paused connection can be resumed; one that needs re-authentication must be reconnected.', { argument: 'id' });
    return reload(ctx, id);
  }

  @RequiresScopes(Scope.IntegrationsAdmin)
  @Mutation(() => DisconnectResult, { description: "Disconnects: revokes the vendor token where the vendor allows it, stops syncing and deletes this vendor's cached data. Needs integrations.admin." })
  async disconnectConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<DisconnectResult> {
    const done = await disconnect(ctx.db, keyRing(), ctx.tenantId, assertId(id));
    if (!done) throw badUserInput('No connected connection with this id in this tenant.', { argument: 'id' });
    const connector = connectors.get(done.vendor);
    const revoked = connector && done.credentials ? await revokeCredentials(connector, done.credentials, ctx.log) : false;
    return { connection: await reload(ctx, id), rowsDeleted: done.rowsDeleted, revoked };
  }
}
