import { bool, computed, date, decimal, integer, text, timestamp, type Field } from '../../../../sync/mapping.js';
import type { CrmCompanyFields, CrmDealFields } from '../crm/canonical.js';

/** Where Salesforce keeps each canonical field: Account and Opportunity fields as SOQL returns them. */

/** A record's page in Lightning, on the org's My Domain (connection config `myDomain`, e.g. "acme"). */
const lightningUrl = (object: string): Field<string | null> => computed((record: { Id?: string }, ctx) =>
  typeof ctx.config.myDomain === 'string' && record.Id ? `https://${ctx.config.myDomain}.lightning.force.com/lightning/r/${object}/${record.Id}/view` : null);

/** Salesforce amounts are in the org's currency; multi-currency orgs name it in the connection (`currency`). */
const orgCurrency = computed((_record, ctx) => (typeof ctx.config.currency === 'string' ? ctx.config.currency : 'USD'));

export const ACCOUNT_FIELDS = ['Id', 'Name', 'Website', 'Industry', 'NumberOfEmployees', 'OwnerId', 'Owner.Name', 'CreatedDate', 'SystemModstamp'];

export const accountFields: CrmCompanyFields = {
  externalId: text('Id'),
  url: lightningUrl('Account'),
  updatedAt: timestamp('SystemModstamp'),
  createdAt: timestamp('CreatedDate', { optional: true }),
  name: text('Name'),
  website: text('Website', { optional: true }),
  industry: text('Industry', { optional: true }),
  employees: integer('NumberOfEmployees', { optional: true, min: 0 }),
  owner: text('Owner.Name', { optional: true }),
};

export const OPPORTUNITY_FIELDS = ['Id', 'AccountId', 'Name', 'StageName', 'Amount', 'CloseDate', 'IsClosed', 'IsWon', 'CreatedDate', 'SystemModstamp'];

export const opportunityFields: CrmDealFields = {
  externalId: text('Id'),
  url: lightningUrl('Opportunity'),
  updatedAt: timestamp('SystemModstamp'),
  createdAt: timestamp('CreatedDate', { optional: true }),
  name: text('Name'),
  stage: text('StageName'),
  amount: decimal('Amount', { default: '0' }),
  currency: orgCurrency,
  closeDate: date('CloseDate', { optional: true }),
  isClosed: bool('IsClosed', { default: false }),
  isWon: bool('IsWon', { default: false }),
  account: text('AccountId', { optional: true }),
};
