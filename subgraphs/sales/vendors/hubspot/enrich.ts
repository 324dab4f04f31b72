import type { ReadContext } from '../../../../sync/connector.js';
import type { Enricher, HubSpotCursor } from './object-stream.js';
import { OWNER_NAME } from './mapping.js';
import type { HubSpotObject, HubSpotPage } from './objects.js';

interface Owner { id: string; email?: string | null; firstName?: string | null; lastName?: string | null }

/** Records name their owner by id: the owners API (`GET /crm/v3/owners`) gives the names, read once a run. */
export async function withOwnerNames(ctx: ReadContext<HubSpotCursor>): Promise<Enricher> {
  const names = new Map<string, string>();
  for (let after: string | undefined; ;) {
    const body = await ctx.http.get<{ results: Owner[]; paging?: HubSpotPage['paging'] }>('/crm/v3/owners', { limit: 100, after });
    for (const owner of body.results) {
      const name = [owner.firstName, owner.lastName].filter(Boolean).join(' ') || owner.email;
      if (name) names.set(String(owner.id), name);
    }
    after = body.paging?.next?.after;
    if (!after) break;
  }
  return async (records) => {
    for (const record of records) {
      const id = record.properties?.hubspot_owner_id;
      if (id && names.has(id)) record[OWNER_NAME] = names.get(id);
    }
  };
}

interface AssociationsBatch {
  results: { from: { id: string }; to: { toObjectId: string | number; associationTypes: { category: string; typeId: number; label: string | null }[] }[] }[];
}

/** HubSpot's deal-to-company "Primary" association type. */
const PRIMARY_DEAL_TO_COMPANY = 5;

/**
 * Search leaves associations out: a searched page of deals asks for their companies in one
 * batch (`POST /crm/v4/associations/deals/companies/batch/read`) and gets them in the listing's shape.
 */
export async function withCompanyAssociations(ctx: ReadContext<HubSpotCursor>): Promise<Enricher> {
  return async (records, from) => {
    if (from === 'list' || !records.length) return;
    const body = await ctx.http.post<AssociationsBatch>('/crm/v4/associations/deals/companies/batch/read', { inputs: records.map((r) => ({ id: r.id })) });
    const byDeal = new Map(body.results.map((r) => [String(r.from.id), r.to]));
    for (const record of records as HubSpotObject[]) {
      const to = byDeal.get(record.id) ?? [];
      record.associations = {
        companies: {
          results: to.map((t) => ({
            id: String(t.toObjectId),
            type: t.associationTypes.some((a) => a.typeId === PRIMARY_DEAL_TO_COMPANY) ? 'deal_to_company' : 'deal_to_company_unlabeled',
          })),
        },
      };
    }
  };
}
