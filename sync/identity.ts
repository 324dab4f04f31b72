import { sql } from 'kysely';
import type { Trx } from './table-writer.js';

/**
 * Cross-system identity: a vendor's customer record (a Stripe customer, a Gainsight company, an
 * Amplitude account group, a second CRM's account) becomes one canonical `Company`. An explicit
 * mapping wins (a record naming the CRM account it belongs to, or a mapping someone set by hand),
 * then the same web domain. Each match is stored with its reason in sales.company_identities.
 */
export interface IdentityCandidate {
  externalId: string;
  /** The record's web domain or an e-mail/URL to take it from. */
  domain: string | null;
  /** Another vendor's record this one says it is (e.g. a Salesforce account id in Stripe metadata). */
  explicit?: { vendor: string; externalId: string } | null;
}

/** 'Https://WWW.Acme.com/about' -> 'acme.com'; 'ana@acme.com' -> 'acme.com'; null when there is none. */
export function normalizeDomain(value: string | null | undefined): string | null {
  if (!value) return null;
  let s = value.trim().toLowerCase();
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s.replace(/^[a-z]+:\/\//, '').replace(/^www\./, '').replace(/[/?#:].*$/, '');
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(s) ? s : null;
}

/**
 * Resolves each candidate to a company id (or null when nothing matches) and records why.
 * A mapping made by hand (matched_by 'explicit' already stored) is never overridden.
 */
export async function resolveIdentities(trx: Trx, tenantId: string, vendor: string, candidates: IdentityCandidate[]): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>();
  if (!candidates.length) return result;
  const ids = candidates.map((c) => c.externalId);
  const { rows: existing } = await sql<{ external_id: string; company_id: string; matched_by: string }>`
    select external_id, company_id, matched_by from sales.company_identities
    where tenant_id = ${tenantId} and vendor = ${vendor} and external_id = any(${ids})`.execute(trx);
  const pinned = new Map(existing.filter((e) => e.matched_by === 'explicit' || e.matched_by === 'created').map((e) => [e.external_id, e.company_id]));

  const explicitRefs = candidates.filter((c) => c.explicit && !pinned.has(c.externalId)).map((c) => c.explicit!);
  const byExplicit = new Map<string, string>();
  for (const refVendor of new Set(explicitRefs.map((r) => r.vendor))) {
    const wanted = explicitRefs.filter((r) => r.vendor === refVendor).map((r) => r.externalId);
    const { rows } = await sql<{ external_id: string; company_id: string }>`select external_id, company_id from sales.company_identities
      where tenant_id = ${tenantId} and vendor = ${refVendor} and external_id = any(${wanted})`.execute(trx);
    for (const r of rows) byExplicit.set(`${refVendor}/${r.external_id}`, r.company_id);
  }
  const domains = [...new Set(candidates.map((c) => normalizeDomain(c.domain)).filter((d): d is string => !!d))];
  const { rows: companies } = domains.length
    ? await sql<{ id: string; domain: string }>`select id, domain from sales.companies where tenant_id = ${tenantId} and domain = any(${domains})`.execute(trx)
    : { rows: [] };
  const byDomain = new Map(companies.map((c) => [c.domain, c.id]));

  const values: [string, string, string | null, string][] = [];
  for (const c of candidates) {
    const domain = normalizeDomain(c.domain);
    const pin = pinned.get(c.externalId);
    if (pin) { result.set(c.externalId, pin); continue; }
    const explicit = c.explicit ? byExplicit.get(`${c.explicit.vendor}/${c.explicit.externalId}`) : undefined;
    const companyId = explicit ?? (domain ? byDomain.get(domain) : undefined) ?? null;
    result.set(c.externalId, companyId);
    if (companyId) values.push([c.externalId, companyId, domain, explicit ? 'explicit' : 'domain']);
  }
  if (values.length) {
    await sql`insert into sales.company_identities (tenant_id, vendor, external_id, company_id, domain, matched_by, matched_at)
      select ${tenantId}, ${vendor}, v.external_id, v.company_id::uuid, v.domain, v.matched_by, now()
      from jsonb_to_recordset(${JSON.stringify(values.map(([external_id, company_id, domain, matched_by]) => ({ external_id, company_id, domain, matched_by })))}::jsonb)
        as v(external_id text, company_id text, domain text, matched_by text)
      on conflict (tenant_id, vendor, external_id) do update set company_id = excluded.company_id, domain = excluded.domain,
        matched_by = excluded.matched_by, matched_at = now()
      where sales.company_identities.matched_by not in ('explicit', 'created')
        and (sales.company_identities.company_id, sales.company_identities.matched_by) is distinct from (excluded.company_id, excluded.matched_by)`.execute(trx);
  }
  return result;
}
