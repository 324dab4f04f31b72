import { normalizeDomain } from '../../../../sync/identity.js';
import { computed, MappingError, type Field, type MapContext, type TableMapping } from '../../../../sync/mapping.js';

/**
 * The one CRM model every CRM feeds: an account becomes a row of sales.companies (or an
 * identity of one), an opportunity a row of sales.deals. A CRM adapter says where each canonical
 * field is in its records; the columns, their types and their rules live here.
 */

export interface CrmCompanyFields {
  externalId: Field<string | null>;
  url: Field<string | null>;
  updatedAt: Field<Date | null>;
  createdAt: Field<Date | null>;
  name: Field<string | null>;
  /** The web site or domain, in any form: it is normalised ('https://www.acme.com/' -> 'acme.com'). */
  website: Field<string | null>;
  industry: Field<string | null>;
  employees: Field<number | null>;
  owner: Field<string | null>;
}

export interface CrmDealFields {
  externalId: Field<string | null>;
  url: Field<string | null>;
  updatedAt: Field<Date | null>;
  createdAt: Field<Date | null>;
  name: Field<string | null>;
  /** The stage as the CRM names it ('Closed Won'). */
  stage: Field<string | null>;
  /** Exact decimal text. */
  amount: Field<string | null>;
  currency: Field<string | null>;
  closeDate: Field<string | null>;
  isClosed: Field<boolean | null>;
  isWon: Field<boolean | null>;
  /** The CRM id of the deal's account: the deal belongs to the company that account resolved to. */
  account: Field<string | null>;
}

/** Seats decide the segment: 1,000 and more enterprise, 100 and more mid-market, else small business. */
export function segmentOf(employees: number | null): 'smb' | 'mid_market' | 'enterprise' {
  if (employees === null) return 'smb';
  return employees >= 1_000 ? 'enterprise' : employees >= 100 ? 'mid_market' : 'smb';
}

/** Industries as one vocabulary across CRMs: lower case, words joined by a space ('COMPUTER_SOFTWARE' -> 'computer software'). */
function industryOf(value: string | null): string | null {
  return value ? value.trim().toLowerCase().replace(/[_\s]+/g, ' ') : null;
}

/** Where a CRM record came from: the same four fields for companies and deals. */
function sourceOf(fields: CrmCompanyFields | CrmDealFields) {
  return { externalId: fields.externalId as Field<string>, url: fields.url, updatedAt: fields.updatedAt, createdAt: fields.createdAt };
}

function derived<T, U>(source: Field<T>, derive: (value: T) => U): Field<U> {
  return { read: (record: unknown, ctx: MapContext) => derive(source.read(record, ctx)) };
}

export function companyMapping(fields: CrmCompanyFields): TableMapping {
  return {
    table: 'sales.companies',
    entity: 'Company',
    ...sourceOf(fields),
    columns: {
      name: fields.name,
      domain: derived(fields.website, normalizeDomain),
      industry: derived(fields.industry, industryOf),
      employees: fields.employees,
      // Read from the same field as `employees`: an unreadable count is reported there once.
      segment: computed((record, ctx) => {
        try {
          return segmentOf(fields.employees.read(record, ctx));
        } catch {
          return 'smb';
        }
      }),
      owner: fields.owner,
    },
  };
}

export function dealMapping(fields: CrmDealFields): TableMapping {
  return {
    table: 'sales.deals',
    entity: 'Deal',
    ...sourceOf(fields),
    columns: {
      name: fields.name,
      stage: fields.stage,
      amount: fields.amount,
      currency: derived(fields.currency, (c) => (c ?? 'USD').toUpperCase()),
      close_date: fields.closeDate,
      is_closed: fields.isClosed,
      is_won: fields.isWon,
    },
    // A deal belongs to a company: without its account it cannot land (it waits in record errors).
    refs: { company_id: { from: required(fields.account, 'the deal names no account'), table: 'sales.companies', via: 'company', required: true } },
  };
}

function required(source: Field<string | null>, reason: string): Field<string> {
  return {
    read(record, ctx) {
      const value = source.read(record, ctx);
      if (!value) throw new MappingError('account', reason);
      return value;
    },
  };
}
