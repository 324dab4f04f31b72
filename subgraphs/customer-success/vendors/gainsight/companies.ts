import type { Stream } from '../../../../sync/connector.js';
import type { IdentityCandidate } from '../../../../sync/identity.js';
import { identityStore } from '../../../../sync/identity-store.js';
import type { MappedRecord } from '../../../../sync/mapping.js';
import { COMPANY_FIELDS, companyMapping } from './mapping.js';
import { DELETED, objectStream, type GainsightCursor } from './object-stream.js';

const isDeleted = (r: MappedRecord) => (r.raw as Record<symbol, unknown> | null)?.[DELETED] === true;

function candidate(r: MappedRecord): IdentityCandidate {
  const { salesforce_id: salesforce, hubspot_id: hubspot, domain } = r.columns as Record<string, string | null>;
  const explicit = salesforce ? { vendor: 'salesforce', externalId: salesforce } : hubspot ? { vendor: 'hubspot', externalId: hubspot } : null;
  return { externalId: r.externalId, domain, explicit };
}

/**
 * Companies write no rows of their own: each Gainsight company (its GSID) becomes the identity
 * of a company for vendor 'gainsight', which health snapshots then refer to. A company deleted
 * in Gainsight takes its identity with it.
 */
export const companies: Stream<GainsightCursor> = objectStream({
  name: 'companies',
  object: 'Company',
  select: COMPANY_FIELDS,
  mapping: companyMapping,
  reconcilable: false,
  deletionsAsRecords: true,
  store: identityStore({ candidate, isDeleted, unmatched: 'no company matches this Gainsight company (no known CRM account id, no known domain)' }),
});
