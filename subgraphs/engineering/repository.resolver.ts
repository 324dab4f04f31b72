import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { assertId } from '../../core/ids.js';
import { BulkPageArgs, bulkPage, PageArgs } from '../../core/pagination.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { Repository, RepositoryConnection } from './repository.type.js';
import { repositoryPage } from './repository.repository.js';
import { PullRequestConnection } from './pull-request.type.js';
import { DeploymentConnection } from './deployment.type.js';

@Resolver(() => Repository)
export class RepositoryResolver {
  @Query(() => Repository, { nullable: true, description: 'A repository by id; null when this tenant has none with that id.' })
  repository(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Repository | null> {
    return ctx.loaders.engineering.repositoryById.load(assertId(id));
  }

  @Query(() => RepositoryConnection, { description: 'Repositories by full name.' })
  repositories(@Args(() => BulkPageArgs) page: BulkPageArgs, @Ctx() ctx: Context) {
    return repositoryPage(ctx.db, ctx.tenantId, bulkPage('Query.repositories', page));
  }

  @FieldResolver(() => PullRequestConnection, { description: "The repository's pull requests, newest opened first." })
  pullRequests(@Root() repository: Repository, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return ctx.loaders.engineering.pullRequestsOfRepository({ first: page.first, after: page.after }).load(repository.id);
  }

  @FieldResolver(() => DeploymentConnection, { description: "The repository's deployments to every environment, newest first." })
  deployments(@Root() repository: Repository, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return ctx.loaders.engineering.deploymentsOfRepository({ first: page.first, after: page.after }).load(repository.id);
  }

  @FieldResolver(() => Source)
  source(@Root() repository: Repository): Source {
    return sourceOf(repository);
  }
}
