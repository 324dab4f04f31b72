import type { SubgraphModule } from '../../core/subgraph.js';
import type { Context } from '../../core/context.js';
import { RepositoryResolver } from './repository.resolver.js';
import { PullRequestResolver } from './pull-request.resolver.js';
import { DeploymentResolver } from './deployment.resolver.js';
import { DoraResolver } from './dora.resolver.js';
import { FeatureEngineeringResolver } from './feature.resolver.js';
import { FeatureDeliveryResolver } from './feature-delivery.resolver.js';
import { ReleaseEngineeringResolver } from './release.resolver.js';

export const engineering: SubgraphModule = {
  name: 'engineering',
  portOffset: 1,
  resolvers: [
    RepositoryResolver,
    PullRequestResolver,
    DeploymentResolver,
    DoraResolver,
    FeatureEngineeringResolver,
    FeatureDeliveryResolver,
    ReleaseEngineeringResolver,
  ],
  references: {
    Repository: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.engineering.repositoryById.load(ref.id) },
    PullRequest: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.engineering.pullRequestById.load(ref.id) },
    Deployment: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.engineering.deploymentById.load(ref.id) },
  },
};
