import { badUserInput } from './errors.js';
import { assertId } from './ids.js';
import { maxPageSize } from './page-sizes.js';
import { ratio, toCents } from './decimal.js';

/** The `featureIds` of a columns field: at most a page of `Query.features`, each an id. */
export function featureColumnIds(ids: readonly string[]): string[] {
  const maximum = maxPageSize('Query.features');
  if (ids.length > maximum) {
    throw badUserInput(`\`featureIds\` takes at most ${maximum} ids (a page of \`featureColumns\`); ask for the rest in another request.`, { argument: 'featureIds', maximum });
  }
  return ids.map((id) => assertId(id, 'featureIds'));
}

/** Feature.roi: (associated revenue - cost) / cost; null without cost. */
export function returnOnInvestment(associatedRevenue: string, cost: string | null | undefined): number | null {
  const costCents = toCents(cost ?? '0');
  return ratio(toCents(associatedRevenue) - costCents, costCents);
}
