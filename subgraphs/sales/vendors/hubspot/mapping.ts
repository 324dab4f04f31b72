import { at, bool, computed, date, decimal, integer, MappingError, text, timestamp, type Field } from '../../../../sync/mapping.js';
import type { CrmCompanyFields, CrmDealFields } from '../crm/canonical.js';

/** Where HubSpot keeps each canonical field: CRM v3 objects `{ id, properties, createdAt, updatedAt, associations }`. */

/** The owner's name, looked up in the owners API while reading (records only carry `hubspot_owner_id`). */
export const OWNER_NAME = Symbol('ownerName');

/** A record's page in HubSpot, in the connection's portal (config `portalId`). */
const recordUrl = (kind: 'company' | 'deal'): Field<string | null> => computed((record: { id?: string }, ctx) =>
  ctx.config.portalId && record.id ? `https://app.hubspot.com/contacts/${ctx.config.portalId}/${kind}/${record.id}` : null);

export const COMPANY_PROPERTIES = ['name', 'domain', 'website', 'industry', 'numberofemployees', 'hubspot_owner_id', 'createdate', 'hs_lastmodifieddate'];

export const companyFields: CrmCompanyFields = {
  externalId: text('id'),
  url: recordUrl('company'),
  updatedAt: timestamp('updatedAt'),
  createdAt: timestamp('createdAt', { optional: true }),
  name: text('properties.name'),
  website: computed((record) => {
    const value = at(record, 'properties.domain') || at(record, 'properties.website');
    return typeof value === 'string' && value ? value : null;
  }),
  // HubSpot's industry is an enumeration ('COMPUTER_SOFTWARE'); the canonical model lowers it.
  industry: text('properties.industry', { optional: true }),
  employees: integer('properties.numberofemployees', { optional: true, min: 0 }),
  owner: computed((record: Record<symbol, unknown>) => (typeof record[OWNER_NAME] === 'string' ? record[OWNER_NAME] as string : null)),
};

/** The default sales pipeline's stage ids and the names people see; a custom pipeline's stage keeps its id. */
export const DEAL_STAGES: Record<string, string> = {
  appointmentscheduled: 'Appointment Scheduled',
  qualifiedtobuy: 'Qualified To Buy',
  presentationscheduled: 'Presentation Scheduled',
  decisionmakerboughtin: 'Decision Maker Bought-In',
  contractsent: 'Contract Sent',
  closedwon: 'Closed Won',
  closedlost: 'Closed Lost',
};

const stageId = text('properties.dealstage');

export const DEAL_PROPERTIES = ['dealname', 'dealstage', 'pipeline', 'amount', 'deal_currency_code', 'closedate', 'hs_is_closed', 'hs_is_closed_won', 'createdate', 'hs_lastmodifieddate'];

/** `hs_is_closed`/`hs_is_closed_won` when the portal computes them, else what the default stage says. */
function closedFlag(property: string, stages: string[]): Field<boolean | null> {
  const flag = bool(`properties.${property}`, { optional: true });
  return computed((record, ctx) => flag.read(record, ctx) ?? stages.includes(String(at(record, 'properties.dealstage'))));
}

/** The deal's company: the primary association (`deal_to_company`), else the first. */
const primaryCompany = computed((record) => {
  const results = at(record, 'associations.companies.results');
  if (results === undefined || results === null) return null;
  if (!Array.isArray(results)) throw new MappingError('associations.companies', 'expected a list');
  const primary = results.find((a: { type?: string }) => a?.type === 'deal_to_company') ?? results[0];
  return primary?.id === undefined ? null : String(primary.id);
});

export const dealFields: CrmDealFields = {
  externalId: text('id'),
  url: recordUrl('deal'),
  updatedAt: timestamp('updatedAt'),
  createdAt: timestamp('createdAt', { optional: true }),
  name: text('properties.dealname'),
  stage: computed((record, ctx) => {
    const id = stageId.read(record, ctx)!;
    return DEAL_STAGES[id] ?? id;
  }),
  amount: decimal('properties.amount', { default: '0' }),
  currency: text('properties.deal_currency_code', { default: 'USD' }),
  closeDate: date('properties.closedate', { optional: true }),
  isClosed: closedFlag('hs_is_closed', ['closedwon', 'closedlost']),
  isWon: closedFlag('hs_is_closed_won', ['closedwon']),
  account: primaryCompany,
};
