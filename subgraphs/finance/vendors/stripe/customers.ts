import { sql } from 'kysely';
import type { Stream } from '../../../../sync/connector.js';
import { resolveIdentities } from '../../../../sync/identity.js';
import type { MappedRecord } from '../../../../sync/mapping.js';
import type { Rejection } from '../../../../sync/table-writer.js';
import { customerMapping } from './mapping.js';
import { DELETED, stripeStream, type StripeCursor } from './stream.js';

const isDeleted = (r: MappedRecord) => (r.raw as Record<symbol, unknown> | null)?.[DELETED] === true;

/**
 * Customers write no rows of their own: each becomes the identity of a company for vendor
 * 'stripe' (the CRM account named in its metadata, else its e-mail or domain metadata), which
 * subscriptions and invoices then refer to. A deleted customer takes its identity with it.
 */
export const customers: Stream<StripeCursor> = stripeStream({
  name: 'customers',
  path: '/v1/customers',
  eventTypes: ['customer.created', 'customer.updated'],
  deletedTypes: ['customer.deleted'],
  deletionsAsRecords: true,
  mapping: customerMapping,
  reconcilable: false,
  async store(trx, target, records) {
    const gone = records.filter(isDeleted).map((r) => r.externalId);
    if (gone.length) {
      await sql`delete from sales.company_identities where tenant_id = ${target.tenantId} and vendor = ${target.vendor}
        and external_id = any(${gone})`.execute(trx);
    }
    const live = records.filter((r) => !isDeleted(r));
    const resolved = await resolveIdentities(trx, target.tenantId, target.vendor, live.map((r) => ({
      externalId: r.externalId,
      domain: r.columns.domain as string | null,
      explicit: r.columns.explicit_vendor && r.columns.explicit_id ? { vendor: r.columns.explicit_vendor as string, externalId: r.columns.explicit_id as string } : null,
    })));
    const rejected: Rejection[] = live.filter((r) => !resolved.get(r.externalId)).map((r) => ({
      externalId: r.externalId, reason: 'no company matches this customer (no CRM account id in metadata, no known domain)', payload: r.raw,
    }));
    return { changed: [], unchanged: live.length - rejected.length, rejected };
  },
});
