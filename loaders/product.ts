import type { Db } from '../core/db.js';
import type { PageArgs } from '../core/pagination.js';
import { featurePagesByRelease, featuresByIds } from '../subgraphs/product/feature.repository.js';
import { releasesByIds } from '../subgraphs/product/release.repository.js';
import { byId, byKey, perArgs } from './loader-kit.js';
import { emptyPage } from '../core/connection.js';
import type { Feature } from '../subgraphs/product/feature.type.js';

export function createProductLoaders(db: Db, tenantId: string) {
  return {
    featureById: byId((ids) => featuresByIds(db, tenantId, ids), (f) => f.id),
    releaseById: byId((ids) => releasesByIds(db, tenantId, ids), (r) => r.id),
    featuresOfRelease: perArgs((page: PageArgs) =>
      byKey((ids) => featurePagesByRelease(db, tenantId, ids, page), emptyPage<Feature>()),
    ),
  };
}
