import type { IdentityCandidate } from '../../../../sync/identity.js';
import { identityStore } from '../../../../sync/identity-store.js';
import type { MappedRecord } from '../../../../sync/mapping.js';
import { customerMapping } from './mapping.js';
import { DELETED, stripeStream, type StripeStream } from './stream.js';

const isDeleted = (r: MappedRecord) => (r.raw as Record<symbol, unknown> | null)?.[DELETED] === true;

/** The CRM account named in the customer's metadata is an explicit mapping; else its domain. */
function candidate(r: MappedRecord): IdentityCandidate {
  const { domain, explicit_vendor: vendor, explicit_id: externalId } = r.columns as Record<string, string | null>;
  return { externalId: r.externalId, domain, explicit: vendor && externalId ? { vendor, externalId } : null };
}

/**
 * Customers write no rows of their own: each becomes the identity of a company for vendor
 * 'stripe' (the CRM account named in its metadata, else its e-mail or domain metadata), which
 * subscriptions and invoices then refer to. A deleted customer takes its identity with it.
 */
export const customers: StripeStream = stripeStream({
  name: 'customers',
  path: '/v1/customers',
  eventTypes: ['customer.created', 'customer.updated'],
  deletedTypes: ['customer.deleted'],
  deletionsAsRecords: true,
  mapping: customerMapping,
  reconcilable: false,
  store: identityStore({ candidate, isDeleted, unmatched: 'no company matches this customer (no CRM account id in metadata, no known domain)' }),
});
