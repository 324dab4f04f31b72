import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { assertId } from '../../core/ids.js';
import { bulkPage } from '../../core/pagination.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { PullRequest, PullRequestConnection } from './pull-request.type.js';
import { PullRequestsArgs } from './pull-request.inputs.js';
import { pullRequestPage } from './pull-request.repository.js';
import { Repository } from './repository.type.js';
import { FeatureStub } from './stubs/feature.stub.js';
import { assertRange } from '../../core/range.js';

@Resolver(() => PullRequest)
export class PullRequestResolver {
  @Query(() => PullRequest, { nullable: true, description: 'A pull request by id; null when this tenant has none with that id.' })
  pullRequest(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<PullRequest | null> {
    return ctx.loaders.engineering.pullRequestById.load(assertId(id));
  }

  @Query(() => PullRequestConnection, { description: 'Pull requests, filtered, newest opened first.' })
  pullRequests(@Args(() => PullRequestsArgs) args: PullRequestsArgs, @Ctx() ctx: Context) {
    const filter = args.filter ?? {};
    assertRange(filter.mergedFrom, filter.mergedTo, ['filter.mergedFrom', 'filter.mergedTo']);
    return pullRequestPage(
      ctx.db,
      ctx.tenantId,
      {
        ...filter,
        repositoryId: filter.repositoryId != null ? assertId(filter.repositoryId, 'filter.repositoryId') : null,
        featureId: filter.featureId != null ? assertId(filter.featureId, 'filter.featureId') : null,
      },
      bulkPage('Query.pullRequests', args),
    );
  }

  @FieldResolver(() => Repository)
  async repository(@Root() pullRequest: PullRequest, @Ctx() ctx: Context): Promise<Repository> {
    return (await ctx.loaders.engineering.repositoryById.load(pullRequest.repositoryId))!;
  }

  @FieldResolver(() => FeatureStub, { nullable: true, description: 'The feature this pull request implements, when linked.' })
  feature(@Root() pullRequest: PullRequest): FeatureStub | null {
    return pullRequest.featureId ? { id: pullRequest.featureId } : null;
  }

  @FieldResolver(() => Source)
  source(@Root() pullRequest: PullRequest): Source {
    return sourceOf(pullRequest);
  }
}
