import type { WrittenPage } from '../../../sync/connector.js';
import type { Trx } from '../../../sync/table-writer.js';
import { linkPullRequestsToFeatures } from '../../engineering/vendors/github/links.js';

/** After features are written, from whichever product tool: the pull requests naming them are linked. */
export function linkDelivery(trx: Trx, written: WrittenPage): Promise<void> {
  return linkPullRequestsToFeatures(trx, written.tenantId, written.rows.map((r) => r.key as string));
}
