import { badUserInput } from './errors.js';
import { assertId } from './ids.js';
import { differenceRatio } from './decimal.js';

/** The largest page of `featureColumns`, and the most `featureIds` a columns field takes: a row is a few scalars. */
export const MAX_FEATURE_COLUMNS = 10_000;

/** The `featureIds` of a columns field: at most a page of `featureColumns`, each an id. */
export function featureColumnIds(ids: readonly string[]): string[] {
  if (ids.length > MAX_FEATURE_COLUMNS) {
    throw badUserInput(`\`featureIds\` takes at most ${MAX_FEATURE_COLUMNS} ids (a page of \`featureColumns\`); ask for the rest in another request.`, { argument: 'featureIds', maximum: MAX_FEATURE_COLUMNS });
  }
  return ids.map((id) => assertId(id, 'featureIds'));
}

/** Feature.roi: (associated revenue - cost) / cost; null without cost. */
export function returnOnInvestment(associatedRevenue: string, cost: string | null | undefined): number | null {
  return differenceRatio(associatedRevenue, cost ?? '0');
}

/** Said by every list of a columns type: bounded by its page, so not a connection. */
export const COLUMN_OF_PAGE = `One value a feature, in the page's order, at most ${MAX_FEATURE_COLUMNS.toLocaleString('en')}: a column of a bounded page, not a connection.`;
