import { hubspotOwnerId, OWNERS } from '../../seed/sales.js';
import type { World } from '../shared/world.js';

/** HubSpot CRM objects as stored in the portal, rendered from the world's rows; properties are text, as HubSpot keeps them. */

export type ObjectType = 'companies' | 'deals';

export interface StoredObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  /** A deal's company. */
  companyId?: string;
}

export interface Owner { id: string; email: string; firstName: string; lastName: string; userId: number; createdAt: string; updatedAt: string; archived: boolean }

const iso = (d: Date | string) => new Date(d).toISOString();

function company(id: string, row: Record<string, any>, createdAt: Date, updatedAt: Date): StoredObject {
  return {
    id, createdAt: iso(createdAt), updatedAt: iso(updatedAt), archived: false,
    properties: {
      name: row.name, domain: row.domain, website: row.domain ? `https://www.${row.domain}` : null, industry: row.industry ? String(row.industry).toUpperCase() : null,
      numberofemployees: row.employees === null ? null : String(row.employees), hubspot_owner_id: row.owner ? hubspotOwnerId(row.owner) : null,
      createdate: iso(createdAt), hs_lastmodifieddate: iso(updatedAt), hs_object_id: id,
    },
  };
}

/**
 * Every HubSpot company of the world: the companies HubSpot made, and the records of companies
 * made elsewhere that an import also put in HubSpot (same domain).
 */
export function companies(world: World): StoredObject[] {
  const made = world.rows('sales.companies').filter((c) => c.vendor === 'hubspot').map((c) => company(c.external_id, c, c.created_at, c.vendor_updated_at));
  const imported = world.rows('sales.company_identities').filter((i) => i.vendor === 'hubspot' && i.matched_by === 'domain')
    .map((i) => company(i.external_id, world.byId('sales.companies', i.company_id)!, i.matched_at, i.matched_at));
  return [...made, ...imported];
}

export function deals(world: World): StoredObject[] {
  return world.rows('sales.deals').filter((d) => d.vendor === 'hubspot').map((d) => ({
    id: d.external_id, createdAt: iso(d.created_at), updatedAt: iso(d.vendor_updated_at), archived: false,
    companyId: d.raw.associations.companies.results[0].id,
    properties: {
      ...d.raw.properties, dealname: d.name, amount: d.amount, hs_is_closed: String(d.is_closed), hs_is_closed_won: String(d.is_won),
      createdate: iso(d.created_at), hs_lastmodifieddate: iso(d.vendor_updated_at), hs_object_id: d.external_id,
    },
  }));
}

export function owners(): Owner[] {
  return OWNERS.map((name, i) => ({
    id: hubspotOwnerId(name), email: `${name}@example.com`, firstName: name, lastName: '', userId: 9_100_000 + i,
    createdAt: '2023-01-09T10:00:00.000Z', updatedAt: '2023-01-09T10:00:00.000Z', archived: false,
  }));
}

/** Properties HubSpot returns whether asked or not. */
const ALWAYS = ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];

/** An object as the API answers: the asked properties (null when unset), and its associations when asked. */
export function render(object: StoredObject, properties: string[], withCompanies: boolean): Record<string, unknown> {
  const props: Record<string, string | null> = {};
  for (const name of [...properties, ...ALWAYS]) props[name] = object.properties[name] ?? null;
  return {
    id: object.id, properties: props, createdAt: object.createdAt, updatedAt: object.updatedAt, archived: object.archived,
    ...(withCompanies && object.companyId ? {
      associations: { companies: { results: [{ id: object.companyId, type: 'deal_to_company' }, { id: object.companyId, type: 'deal_to_company_unlabeled' }] } },
    } : {}),
  };
}
