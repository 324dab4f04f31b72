import { sql } from 'kysely';
import { stableId } from '../../../../core/stable-id.js';
import type { MappedRecord } from '../../../../sync/mapping.js';
import { resolveIdentities } from '../../../../sync/identity.js';
import { writeRows, type Rejection, type Trx, type WriteResult, type WriteTarget } from '../../../../sync/table-writer.js';

/**
 * Stores a page of CRM accounts as canonical companies. An account is the company it already
 * made (its row is updated), or the identity of a company another record made with the same web
 * domain (matched_by 'domain', nothing else written: that company keeps its own CRM's fields),
 * or, matching nothing, a new company (matched_by 'created'). sales.companies has one row per
 * domain, so the first account of a domain makes the company and later ones join it.
 */
export async function storeCompanies(trx: Trx, target: WriteTarget, records: MappedRecord[]): Promise<WriteResult> {
  const { tenantId, vendor } = target;
  const domainOf = (r: MappedRecord) => (r.columns.domain as string | null) ?? null;
  // The row an account made is keyed by (vendor, external id); a new one gets the id the writer gives it.
  const rows = await ownRows(trx, tenantId, vendor, records.map((r) => r.externalId));
  const ownRowId = (r: MappedRecord) => rows.get(r.externalId) ?? stableId(tenantId, vendor, r.externalId);
  const resolve = (batch: MappedRecord[]) => resolveIdentities(trx, tenantId, vendor, batch.map((r) => ({ externalId: r.externalId, domain: domainOf(r) })));

  const resolved = await resolve(records);
  const own: MappedRecord[] = [];
  const creating: MappedRecord[] = [];
  const later: MappedRecord[] = [];
  const claimed = new Set<string>();
  let joined = 0;
  for (const record of records) {
    const companyId = resolved.get(record.externalId);
    if (companyId === ownRowId(record)) own.push(record);
    else if (companyId) joined++;
    else {
      // Two new accounts of one domain in a page: the first makes the company, the second joins it.
      const domain = domainOf(record);
      if (domain && claimed.has(domain)) later.push(record);
      else {
        if (domain) claimed.add(domain);
        creating.push(record);
      }
    }
  }

  // An account whose new domain another company holds cannot take it (one company per domain).
  const taken = await domainsTaken(trx, tenantId, own.map((r) => [ownRowId(r), domainOf(r)]));
  const rejected: Rejection[] = own.filter((r) => taken.has(ownRowId(r))).map((r) => ({
    externalId: r.externalId, payload: r.raw,
    reason: `domain ${domainOf(r)} already belongs to another company (${taken.get(ownRowId(r))}): merge the two records in the CRM`,
  }));
  const written = await writeRows(trx, target, [...own.filter((r) => !taken.has(ownRowId(r))), ...creating]);
  await recordCreated(trx, tenantId, vendor, creating.map((r) => ({ externalId: r.externalId, companyId: ownRowId(r), domain: domainOf(r) })));
  if (later.length) {
    const second = await resolve(later);
    joined += later.filter((r) => second.get(r.externalId)).length;
  }
  return { changed: written.changed, unchanged: written.unchanged + joined, rejected: [...rejected, ...written.rejected] };
}

async function ownRows(trx: Trx, tenantId: string, vendor: string, externalIds: string[]): Promise<Map<string, string>> {
  const { rows } = await sql<{ id: string; external_id: string }>`select id, external_id from sales.companies
    where tenant_id = ${tenantId} and vendor = ${vendor} and external_id = any(${externalIds})`.execute(trx);
  return new Map(rows.map((r) => [r.external_id, r.id]));
}

/** For accounts whose company row is their own: another company already holding the new domain, by our row id. */
async function domainsTaken(trx: Trx, tenantId: string, rows: [id: string, domain: string | null][]): Promise<Map<string, string>> {
  const wanted = rows.filter((r): r is [string, string] => !!r[1]);
  if (!wanted.length) return new Map();
  const { rows: holders } = await sql<{ id: string; domain: string; vendor: string; external_id: string }>`
    select id, domain, vendor, external_id from sales.companies where tenant_id = ${tenantId} and domain = any(${wanted.map((r) => r[1])})`.execute(trx);
  const byDomain = new Map(holders.map((h) => [h.domain, h]));
  const taken = new Map<string, string>();
  for (const [id, domain] of wanted) {
    const holder = byDomain.get(domain);
    if (holder && holder.id !== id) taken.set(id, `${holder.vendor} ${holder.external_id}`);
  }
  return taken;
}

/** The identity of each company a CRM record created: pinned, never re-matched by domain. */
async function recordCreated(trx: Trx, tenantId: string, vendor: string, created: { externalId: string; companyId: string; domain: string | null }[]): Promise<void> {
  if (!created.length) return;
  await sql`insert into sales.company_identities (tenant_id, vendor, external_id, company_id, domain, matched_by, matched_at)
    select ${tenantId}, ${vendor}, v.external_id, v.company_id::uuid, v.domain, 'created', now()
    from jsonb_to_recordset(${JSON.stringify(created.map((c) => ({ external_id: c.externalId, company_id: c.companyId, domain: c.domain })))}::jsonb)
      as v(external_id text, company_id text, domain text)
    on conflict (tenant_id, vendor, external_id) do update set company_id = excluded.company_id, domain = excluded.domain,
      matched_by = 'created', matched_at = now()
    where sales.company_identities.matched_by <> 'explicit'`.execute(trx);
}
