import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../core/context.js';
import { PageArgs } from '../../core/pagination.js';
import { ReleaseStub } from './stubs/release.stub.js';
import { DeploymentConnection } from './deployment.type.js';

@Resolver(() => ReleaseStub)
export class ReleaseEngineeringResolver {
  @FieldResolver(() => DeploymentConnection, { nullable: true, description: 'The deployments that shipped this release, to every environment, newest first.' })
  deployments(@Root() release: ReleaseStub, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return ctx.loaders.engineering.deploymentsOfRelease({ first: page.first, after: page.after }).load(release.id);
  }
}
