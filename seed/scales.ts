export type Scale = 'small' | 'medium' | 'large';

export const SCALE_NAMES: readonly Scale[] = ['small', 'medium', 'large'];

/**
 * Rows of the main tenant per scale. Companies drive subscriptions (about 1.2 each), invoices
 * (about 2.5 a subscription) and health scores (3 each); the rest are set here.
 */
export interface Volumes {
  releases: number;
  features: number;
  repositories: number;
  deployments: number;
  pullRequests: number;
  companies: number;
  deals: number;
  endUsers: number;
  usageEvents: number;
  costEntries: number;
  feedback: number;
}

export const SCALES: Record<Scale, Volumes> = {
  // 240 features (not fewer): the N+1 test pages through 200 of them.
  small: { releases: 12, features: 240, repositories: 6, deployments: 200, pullRequests: 400, companies: 50, deals: 200, endUsers: 1_000, usageEvents: 60_000, costEntries: 300, feedback: 600 },
  medium: { releases: 24, features: 500, repositories: 20, deployments: 1_500, pullRequests: 4_000, companies: 1_000, deals: 10_000, endUsers: 20_000, usageEvents: 1_000_000, costEntries: 2_500, feedback: 5_000 },
  large: { releases: 52, features: 2_000, repositories: 50, deployments: 6_000, pullRequests: 16_000, companies: 5_000, deals: 50_000, endUsers: 100_000, usageEvents: 10_000_000, costEntries: 10_000, feedback: 20_000 },
};

/** The first tenant gets the full volume, the others about a third of it. */
export function volumesFor(scale: Scale, main: boolean): Volumes {
  const base = SCALES[scale];
  if (main) return base;
  return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, Math.max(3, Math.round(v / 3))])) as unknown as Volumes;
}
