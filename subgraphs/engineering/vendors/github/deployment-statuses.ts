import type { VendorHttp } from '../../../../sync/http-client.js';
import { mapConcurrently } from './concurrency.js';
import { listing, withQuery } from './listing.js';
import { REPOSITORY } from './mapping.js';
import type { RepositoryRef } from './repositories.js';

type Deployment = Record<string | symbol, unknown>;

export const repositoryPath = (repository: RepositoryRef) => `/repos/${repository.fullName.split('/').map(encodeURIComponent).join('/')}`;

/**
 * Deployments as stored: each with its statuses (`GET .../deployments/{id}/statuses`, every page)
 * under `statuses`, and the repository it was listed under. A deployment deleted meanwhile has none.
 */
export function withStatuses(http: VendorHttp, repository: RepositoryRef, deployments: unknown[], concurrency: number): Promise<Deployment[]> {
  return mapConcurrently(deployments, concurrency, async (listed) => {
    const deployment: Deployment = { ...(listed as Deployment) };
    deployment[REPOSITORY] = repository;
    if (typeof deployment.id !== 'number') return deployment;
    const statuses: unknown[] = [];
    for await (const page of listing(http, withQuery(`${repositoryPath(repository)}/deployments/${deployment.id}/statuses`, { per_page: 100 }))) statuses.push(...page.items);
    deployment.statuses = statuses;
    return deployment;
  });
}

/** One deployment again by id (`GET .../deployments/{id}`), with its statuses; null once deleted. */
export async function deploymentById(http: VendorHttp, repository: RepositoryRef, id: number): Promise<Deployment | null> {
  const response = await http.request('GET', `${repositoryPath(repository)}/deployments/${id}`, { accept: [404] });
  if (response.status === 404) return null;
  const [deployment] = await withStatuses(http, repository, [response.json()], 1);
  return deployment;
}
