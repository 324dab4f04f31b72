import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { assertId } from '../../core/ids.js';
import { bulkPage } from '../../core/pagination.js';
import { Source, sourceOf } from '../../core/source.type.js';
import { Deployment, DeploymentConnection } from './deployment.type.js';
import { DeploymentsArgs } from './deployment.inputs.js';
import { deploymentPage } from './deployment.repository.js';
import { Repository } from './repository.type.js';
import { ReleaseStub } from './stubs/release.stub.js';
import { assertRange } from '../../core/range.js';

@Resolver(() => Deployment)
export class DeploymentResolver {
  @Query(() => Deployment, { nullable: true, description: 'A deployment by id; null when this tenant has none with that id.' })
  deployment(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Deployment | null> {
    return ctx.loaders.engineering.deploymentById.load(assertId(id));
  }

  @Query(() => DeploymentConnection, { description: 'Deployments, filtered, newest first.' })
  deployments(@Args(() => DeploymentsArgs) args: DeploymentsArgs, @Ctx() ctx: Context) {
    const filter = args.filter ?? {};
    assertRange(filter.from, filter.to, ['filter.from', 'filter.to']);
    return deploymentPage(
      ctx.db,
      ctx.tenantId,
      { ...filter, repositoryId: filter.repositoryId != null ? assertId(filter.repositoryId, 'filter.repositoryId') : null },
      bulkPage('Query.deployments', args),
    );
  }

  @FieldResolver(() => Repository)
  async repository(@Root() deployment: Deployment, @Ctx() ctx: Context): Promise<Repository> {
    return (await ctx.loaders.engineering.repositoryById.load(deployment.repositoryId))!;
  }

  @FieldResolver(() => ReleaseStub, { nullable: true, description: 'The release (product subgraph) this deployment shipped, when linked.' })
  release(@Root() deployment: Deployment): ReleaseStub | null {
    return deployment.releaseId ? { id: deployment.releaseId } : null;
  }

  @FieldResolver(() => Source)
  source(@Root() deployment: Deployment): Source {
    return sourceOf(deployment);
  }
}
