import { sql } from 'kysely';
import type { Stream } from './connector.js';
import { resolveIdentities, type IdentityCandidate } from './identity.js';
import type { MappedRecord } from './mapping.js';
import type { Rejection } from './table-writer.js';

/**
 * The `store` of a stream whose records are not rows of their own but identities of companies
 * (a billing customer, a success tool's company): each live record is resolved to a company
 * (explicit mapping, then domain) or rejected with `unmatched` as the reason; a record the
 * vendor deleted takes its identity with it.
 */
export function identityStore(options: {
  candidate: (record: MappedRecord) => IdentityCandidate;
  isDeleted: (record: MappedRecord) => boolean;
  unmatched: string;
}): NonNullable<Stream['store']> {
  return async (trx, target, records) => {
    const gone = records.filter(options.isDeleted).map((r) => r.externalId);
    if (gone.length) {
      await sql`delete from sales.company_identities where tenant_id = ${target.tenantId} and vendor = ${target.vendor}
        and external_id = any(${gone})`.execute(trx);
    }
    const live = records.filter((r) => !options.isDeleted(r));
    const resolved = await resolveIdentities(trx, target.tenantId, target.vendor, live.map(options.candidate));
    const rejected: Rejection[] = live.filter((r) => !resolved.get(r.externalId)).map((r) => ({ externalId: r.externalId, reason: options.unmatched, payload: r.raw }));
    return { changed: [], unchanged: live.length - rejected.length, rejected };
  };
}
