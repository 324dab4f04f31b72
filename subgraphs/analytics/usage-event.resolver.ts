import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { bulkPage } from '../../core/pagination.js';
import { assertId } from '../../core/ids.js';
import { Source } from '../../core/source.type.js';
import { EndUser } from './end-user.type.js';
import { UsageEvent } from './usage-event.type.js';
import { UsageEventsArgs } from './usage-event.inputs.js';
import { usageEventPage } from './usage-event.repository.js';
import { FeatureStub } from './stubs/feature.stub.js';

const UsageEventConnection = Connection(UsageEvent);

@Resolver(() => UsageEvent)
export class UsageEventResolver {
  @Query(() => UsageEventConnection, {
    description: 'Raw usage events, filtered, oldest first by (occurredAt, insertId): stable, so a BI tool can walk them all or resume from a cursor.',
  })
  usageEvents(@Args(() => UsageEventsArgs) args: UsageEventsArgs, @Ctx() ctx: Context) {
    const filter = args.filter ?? {};
    return usageEventPage(ctx.db, ctx.tenantId, {
      featureId: filter.featureId != null ? assertId(filter.featureId, 'filter.featureId') : null,
      endUserId: filter.endUserId != null ? assertId(filter.endUserId, 'filter.endUserId') : null,
      from: filter.from,
      to: filter.to,
    }, bulkPage('Query.usageEvents', args));
  }

  @FieldResolver(() => EndUser, { description: 'Who did it.' })
  async endUser(@Root() event: UsageEvent, @Ctx() ctx: Context): Promise<EndUser> {
    return (await ctx.loaders.analytics.endUserById.load(event.endUserId))!;
  }

  @FieldResolver(() => FeatureStub, { nullable: true, description: 'The feature the event is the use of; null for events of no feature.' })
  feature(@Root() event: UsageEvent): FeatureStub | null {
    return event.featureId ? { id: event.featureId } : null;
  }

  @FieldResolver(() => Source)
  source(@Root() event: UsageEvent): Source {
    return { vendor: event.vendor, externalId: event.insertId, url: null, syncedAt: event.syncedAt };
  }
}
