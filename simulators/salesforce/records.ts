import { salesforceUserId } from '../../seed/sales.js';
import type { World, WorldRow } from '../shared/world.js';

/** Salesforce records as the REST API returns them, rendered from the world's rows. */

export type SObjectType = 'Account' | 'Opportunity';
export type SObject = Record<string, any> & { Id: string; attributes: { type: SObjectType; url: string } };

export const API_VERSION = 'v60.0';

/** Salesforce writes dateTimes as `2013-05-20T20:49:32.000+0000`, and keeps whole seconds. */
export function sfDateTime(value: Date | string | number): string {
  const d = new Date(value);
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('Z', '+0000');
}

function day(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

const attributes = (type: SObjectType, id: string) => ({ type, url: `/services/data/${API_VERSION}/sobjects/${type}/${id}` });

function owner(name: string | null): Record<string, unknown> {
  if (!name) return { OwnerId: null, Owner: null };
  const id = salesforceUserId(name);
  return { OwnerId: id, Owner: { attributes: { type: 'User', url: `/services/data/${API_VERSION}/sobjects/User/${id}` }, Name: name } };
}

function account(id: string, company: WorldRow, createdAt: Date, updatedAt: Date): SObject {
  return {
    attributes: attributes('Account', id), Id: id, IsDeleted: false, Name: company.name, Website: company.domain,
    Industry: company.industry, NumberOfEmployees: company.employees, ...owner(company.owner),
    CreatedDate: sfDateTime(createdAt), LastModifiedDate: sfDateTime(updatedAt), SystemModstamp: sfDateTime(updatedAt),
  };
}

/**
 * Every Salesforce account of the world: the companies Salesforce made, and the accounts of
 * companies made elsewhere that an import also put in Salesforce (same domain).
 */
export function accounts(world: World): SObject[] {
  const made = world.rows('sales.companies').filter((c) => c.vendor === 'salesforce')
    .map((c) => account(c.external_id, c, c.created_at, c.vendor_updated_at));
  const imported = world.rows('sales.company_identities').filter((i) => i.vendor === 'salesforce' && i.matched_by === 'domain')
    .map((i) => account(i.external_id, world.byId('sales.companies', i.company_id)!, i.matched_at, i.matched_at));
  return [...made, ...imported];
}

export function opportunities(world: World): SObject[] {
  return world.rows('sales.deals').filter((d) => d.vendor === 'salesforce').map((d) => ({
    attributes: attributes('Opportunity', d.external_id), Id: d.external_id, IsDeleted: false, AccountId: d.raw.AccountId,
    Name: d.name, StageName: d.stage, Amount: Number(d.amount), CloseDate: day(d.close_date), IsClosed: d.is_closed, IsWon: d.is_won,
    CreatedDate: sfDateTime(d.created_at), LastModifiedDate: sfDateTime(d.vendor_updated_at), SystemModstamp: sfDateTime(d.vendor_updated_at),
  }));
}

export function newRecord(type: SObjectType, id: string, fields: Record<string, unknown>, at: Date): SObject {
  return { attributes: attributes(type, id), Id: id, IsDeleted: false, ...fields, CreatedDate: sfDateTime(at), LastModifiedDate: sfDateTime(at), SystemModstamp: sfDateTime(at) };
}
