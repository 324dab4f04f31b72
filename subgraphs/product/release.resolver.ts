import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { assertId } from '../../core/ids.js';
import { BulkPageArgs, bulkPage, PageArgs } from '../../core/pagination.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { Release } from './release.type.js';
import { releasePage } from './release.repository.js';
import { FeatureConnection } from './feature.resolver.js';

const ReleaseConnection = Connection(Release);

@ArgsType()
class ReleasesArgs extends BulkPageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only released (true) or only upcoming (false) releases.' })
  released?: boolean | null;
}

@Resolver(() => Release)
export class ReleaseResolver {
  @Query(() => Release, { nullable: true })
  release(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Release | null> {
    return ctx.loaders.product.releaseById.load(assertId(id));
  }

  @Query(() => ReleaseConnection, { description: 'Releases, newest release date first.' })
  releases(@Args(() => ReleasesArgs) args: ReleasesArgs, @Ctx() ctx: Context) {
    return releasePage(ctx.db, ctx.tenantId, { released: args.released }, bulkPage('Query.releases', args));
  }

  @FieldResolver(() => FeatureConnection, { description: 'The features shipped in this release, by name.' })
  features(@Root() release: Release, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return ctx.loaders.product.featuresOfRelease({ first: page.first, after: page.after }).load(release.id);
  }

  @FieldResolver(() => Source)
  source(@Root() release: Release): Source {
    return sourceOf(release);
  }
}
