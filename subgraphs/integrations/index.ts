import type { SubgraphModule } from '../../core/subgraph.js';
import type { Context } from '../../core/context.js';
import { ConnectionResolver } from './connection.resolver.js';
import { ConnectionAdminResolver } from './connection-admin.resolver.js';

export const integrations: SubgraphModule = {
  name: 'integrations',
  portOffset: 6,
  resolvers: [ConnectionResolver, ConnectionAdminResolver],
  references: {
    Connection: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.integrations.connectionById.load(ref.id) },
  },
};
