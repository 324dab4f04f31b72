import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { Connection } from '../../core/connection.js';
import { maxPageSize } from '../../core/page-sizes.js';
import { assertId } from '../../core/ids.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { windowStart } from '../../core/windows.js';
import { Feature } from './feature.type.js';
import { FeatureOrderField, FeaturesArgs } from './feature.inputs.js';
import { featureOrdering, featurePage } from './feature.repository.js';
import { Release } from './release.type.js';

export const FeatureConnection = Connection(Feature);

@Resolver(() => Feature)
export class FeatureResolver {
  @Query(() => Feature, { nullable: true, description: 'A feature by id; null when this tenant has none with that id.' })
  feature(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Feature | null> {
    return ctx.loaders.product.featureById.load(assertId(id));
  }

  @Query(() => FeatureConnection, { description: 'Features, filtered and in a stable keyset order.' })
  features(@Args(() => FeaturesArgs) args: FeaturesArgs, @Ctx() ctx: Context) {
    return featuresPage(args, ctx);
  }

  @FieldResolver(() => Release, { nullable: true })
  release(@Root() feature: Feature, @Ctx() ctx: Context): Promise<Release | null> | null {
    return feature.releaseId ? ctx.loaders.product.releaseById.load(feature.releaseId) : null;
  }

  @FieldResolver(() => Source)
  source(@Root() feature: Feature): Source {
    return sourceOf(feature);
  }
}

function maxDate(a: Date, b: Date | null | undefined): Date {
  return b && b > a ? b : a;
}

/** A page of `Query.features`: the filter, order and page size every reader of that list shares. */
export function featuresPage(args: FeaturesArgs, ctx: Context, maximum = maxPageSize('Query.features'), columns?: readonly string[]) {
  const filter = args.filter ?? {};
  const order = args.orderBy ?? { field: FeatureOrderField.NAME, direction: 'asc' };
  const releasedFrom = filter.releasedWithinDays != null ? maxDate(windowStart(filter.releasedWithinDays), filter.releasedFrom) : filter.releasedFrom;
  return featurePage(
    ctx.db,
    ctx.tenantId,
    { ...filter, ids: filter.ids?.map((id) => assertId(id, 'filter.ids')), releasedFrom },
    featureOrdering(order.field, order.direction),
    { ...args, maximum },
    columns,
  );
}
