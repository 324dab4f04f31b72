import type { Stream } from '../../../../sync/connector.js';
import { companyMapping, dealMapping, type CrmCompanyFields, type CrmDealFields } from './canonical.js';
import { storeCompanies } from './company-store.js';

/**
 * The two streams every CRM has, accounts then deals (a deal needs its company): the CRM says
 * how to read its records and where the canonical fields are; storing them is shared.
 */
export function companyStream<Cursor>(spec: { name: string; fields: CrmCompanyFields; read: Stream<Cursor>['read'] }): Stream<Cursor> {
  return { name: spec.name, mapping: companyMapping(spec.fields), store: storeCompanies, read: spec.read };
}

export function dealStream<Cursor>(spec: { name: string; fields: CrmDealFields; read: Stream<Cursor>['read'] }): Stream<Cursor> {
  return { name: spec.name, mapping: dealMapping(spec.fields), read: spec.read };
}
