import { sql } from 'kysely';
import type { Stream } from '../../../../sync/connector.js';
import { resolveIdentities, type IdentityCandidate } from '../../../../sync/identity.js';
import type { MappedRecord } from '../../../../sync/mapping.js';
import type { Rejection } from '../../../../sync/table-writer.js';
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
  async store(trx, target, records) {
    const gone = records.filter(isDeleted).map((r) => r.externalId);
    if (gone.length) {
      await sql`delete from sales.company_identities where tenant_id = ${target.tenantId} and vendor = ${target.vendor}
        and external_id = any(${gone})`.execute(trx);
    }
    const live = records.filter((r) => !isDeleted(r));
    const resolved = await resolveIdentities(trx, target.tenantId, target.vendor, live.map(candidate));
    const rejected: Rejection[] = live.filter((r) => !resolved.get(r.externalId)).map((r) => ({
      externalId: r.externalId, reason: 'no company matches this Gainsight company (no known CRM account id, no known domain)', payload: r.raw,
    }));
    return { changed: [], unchanged: live.length - rejected.length, rejected };
  },
});
