export type Scale = 'small' | 'medium' | 'large';

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
  feedback: number;
}

/** Rows of the main tenant per scale; other tenants get a third. */
export const SCALES: Record<Scale, Volumes> = {
  small: { releases: 12, features: 240, repositories: 6, deployments: 200, pullRequests: 400, companies: 50, deals: 200, endUsers: 1_000, usageEvents: 60_000, feedback: 600 },
  medium: { releases: 60, features: 600, repositories: 20, deployments: 1_500, pullRequests: 4_000, companies: 1_000, deals: 10_000, endUsers: 20_000, usageEvents: 1_000_000, feedback: 5_000 },
  large: { releases: 200, features: 2_000, repositories: 50, deployments: 5_000, pullRequests: 15_000, companies: 5_000, deals: 50_000, endUsers: 100_000, usageEvents: 10_000_000, feedback: 20_000 },
};

export function volumesFor(scale: Scale, main: boolean): Volumes {
  const base = SCALES[scale];
  if (main) return base;
  return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, Math.max(2, Math.round(v / 3))])) as unknown as Volumes;
}
