import { Args, Ctx, FieldResolver, Float, Int, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import type { Context } from '../../core/context.js';
import { PageArgs } from '../../core/pagination.js';
import { FeatureDelivery } from './feature-delivery.type.js';
import { PullRequestConnection } from './pull-request.type.js';
import type { FeatureDeliveryStats } from './feature-delivery.repository.js';

@Resolver(() => FeatureDelivery)
export class FeatureDeliveryResolver {
  @FieldResolver(() => PullRequestConnection, { description: "The feature's pull requests in every repository, newest opened first." })
  pullRequests(@Root() delivery: FeatureDelivery, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return ctx.loaders.engineering.pullRequestsOfFeature({ first: page.first, after: page.after }).load(delivery.featureId);
  }

  @FieldResolver(() => Int, { description: 'Its pull requests in state MERGED.' })
  async mergedPullRequests(@Root() delivery: FeatureDelivery, @Ctx() ctx: Context): Promise<number> {
    return (await stats(delivery, ctx)).mergedPullRequests;
  }

  @FieldResolver(() => Int, { description: 'Its pull requests in state OPEN.' })
  async openPullRequests(@Root() delivery: FeatureDelivery, @Ctx() ctx: Context): Promise<number> {
    return (await stats(delivery, ctx)).openPullRequests;
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'The median of PullRequest.leadTimeHours over its pull requests that have one (shipped to production); null when none has.',
  })
  async medianLeadTimeHours(@Root() delivery: FeatureDelivery, @Ctx() ctx: Context): Promise<number | null> {
    return (await stats(delivery, ctx)).medianLeadTimeHours;
  }

  @FieldResolver(() => DateTimeISOResolver, {
    nullable: true,
    description: 'When the latest SUCCESS production deployment that shipped one of its pull requests was deployed.',
  })
  async lastDeployedAt(@Root() delivery: FeatureDelivery, @Ctx() ctx: Context): Promise<Date | null> {
    return (await stats(delivery, ctx)).lastDeployedAt;
  }
}

function stats(delivery: FeatureDelivery, ctx: Context): Promise<FeatureDeliveryStats> {
  return ctx.loaders.engineering.deliveryOfFeature.load(delivery.featureId);
}
