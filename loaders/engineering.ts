import type { Db } from '../core/db.js';
import type { PageArgs } from '../core/pagination.js';
import { emptyPage } from '../core/connection.js';
import { repositoriesByIds } from '../subgraphs/engineering/repository.repository.js';
import { pullRequestPagesByFeature, pullRequestPagesByRepository, pullRequestsByIds } from '../subgraphs/engineering/pull-request.repository.js';
import { deploymentPagesByRelease, deploymentPagesByRepository, deploymentsByIds } from '../subgraphs/engineering/deployment.repository.js';
import { deliveryStatsByFeature, NO_DELIVERY } from '../subgraphs/engineering/feature-delivery.repository.js';
import type { PullRequest } from '../subgraphs/engineering/pull-request.type.js';
import type { Deployment } from '../subgraphs/engineering/deployment.type.js';
import { byId, byKey, perArgs } from './loader-kit.js';

export function createEngineeringLoaders(db: Db, tenantId: string) {
  return {
    repositoryById: byId((ids) => repositoriesByIds(db, tenantId, ids), (r) => r.id),
    pullRequestById: byId((ids) => pullRequestsByIds(db, tenantId, ids), (pr) => pr.id),
    deploymentById: byId((ids) => deploymentsByIds(db, tenantId, ids), (d) => d.id),
    pullRequestsOfRepository: perArgs((page: PageArgs) =>
      byKey((ids) => pullRequestPagesByRepository(db, tenantId, ids, page), emptyPage<PullRequest>()),
    ),
    pullRequestsOfFeature: perArgs((page: PageArgs) =>
      byKey((ids) => pullRequestPagesByFeature(db, tenantId, ids, page), emptyPage<PullRequest>()),
    ),
    deploymentsOfRepository: perArgs((page: PageArgs) =>
      byKey((ids) => deploymentPagesByRepository(db, tenantId, ids, page), emptyPage<Deployment>()),
    ),
    deploymentsOfRelease: perArgs((page: PageArgs) =>
      byKey((ids) => deploymentPagesByRelease(db, tenantId, ids, page), emptyPage<Deployment>()),
    ),
    deliveryOfFeature: byKey((ids) => deliveryStatsByFeature(db, tenantId, ids), NO_DELIVERY),
  };
}
