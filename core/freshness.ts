import type { Context } from './context.js';

/** The domains of integrations.connections: which vendor data a report's inputs come from. */
export type SyncedDomain = 'product' | 'engineering' | 'analytics' | 'sales' | 'finance' | 'customer_success';

/**
 * A report's `asOf`: the oldest last_success_at over the tenant's connections (not disconnected) of the domains
 * feeding it, so every input is synced at least up to then; null when a domain has no connection or one of them has
 * never synced.
 */
export async function syncedAsOf(ctx: Context, domains: readonly SyncedDomain[]): Promise<Date | null> {
  const times = await Promise.all(domains.map((domain) => ctx.loaders.integrations.domainSyncedAt.load(domain)));
  if (times.some((t) => t === null)) return null;
  return new Date(Math.min(...times.map((t) => t!.getTime())));
}

/** The description of a report's asOf field, naming its domains. */
export function asOfDescription(domains: readonly SyncedDomain[]): string {
  return (
    `As of when this report's inputs were synced: the oldest lastSuccessAt of the tenant's connections (not disconnected) of ` +
    `domain ${domains.join(' and ')}; null when there is none or one has never synced.`
  );
}
