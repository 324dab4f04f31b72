import type { World, WorldRow } from '../shared/world.js';

/** Gainsight records as the query API returns them, rendered from the world's rows (dates in epoch milliseconds). */

export type GainsightRecord = Record<string, unknown> & { Gsid: string };

export const COMPANY = 'Company';
export const SNAPSHOTS = 'CompanyHealthSnapshot__gc';
export const DELETE_LOG = 'record_delete_log';

/** Fields holding a DATETIME: filters on them compare moments, whatever form the value takes. */
export const DATETIME_FIELDS = new Set(['CreatedDate', 'ModifiedDate', 'SnapshotDate', 'DeletedOn']);

/** Each object's fields: selecting or filtering on another one is refused, as Gainsight does. */
export const FIELDS: Record<string, string[]> = {
  [COMPANY]: ['Gsid', 'Name', 'Industry', 'Employees', 'SfdcAccountId', 'HubSpotCompanyId__gc', 'Domain__gc', 'CurrentScore', 'PreviousScore', 'CreatedDate', 'ModifiedDate'],
  [SNAPSHOTS]: ['Gsid', 'CompanyId', 'CurrentScore', 'PreviousScore', 'SnapshotDate', 'CreatedDate', 'ModifiedDate'],
  [DELETE_LOG]: ['RecordId', 'ObjectName', 'DeletedOn'],
};

const ms = (d: Date) => d.getTime();

export function snapshot(row: WorldRow): GainsightRecord {
  const raw = row.raw as Record<string, unknown>;
  return {
    ...raw, Gsid: row.external_id, CompanyId: raw.CompanyId,
    CurrentScore: Number(row.score), PreviousScore: row.previous_score === null ? null : Number(row.previous_score),
    SnapshotDate: ms(row.measured_at), CreatedDate: ms(row.created_at), ModifiedDate: ms(row.updated_at),
  };
}

/**
 * A company as Gainsight holds it: created from its CRM account (Salesforce's id in the standard
 * `SfdcAccountId`, HubSpot's in a custom field), with the newest snapshot's scores as its
 * Current Score and Previous Score.
 */
export function companies(world: World, snapshots: GainsightRecord[]): GainsightRecord[] {
  const newest = new Map<string, GainsightRecord>();
  for (const s of snapshots) {
    const known = newest.get(s.CompanyId as string);
    if (!known || (known.SnapshotDate as number) < (s.SnapshotDate as number)) newest.set(s.CompanyId as string, s);
  }
  return world.rows('sales.company_identities').filter((i) => i.vendor === 'gainsight').map((identity) => {
    const company = world.byId('sales.companies', identity.company_id)!;
    const latest = newest.get(identity.external_id);
    const created = ms(identity.matched_at);
    return {
      Gsid: identity.external_id, Name: company.name, Industry: company.industry, Employees: company.employees,
      SfdcAccountId: company.vendor === 'salesforce' ? company.external_id : null,
      HubSpotCompanyId__gc: company.vendor === 'hubspot' ? company.external_id : null,
      Domain__gc: company.domain,
      CurrentScore: latest?.CurrentScore ?? null, PreviousScore: latest?.PreviousScore ?? null,
      CreatedDate: created, ModifiedDate: Math.max(created, (latest?.ModifiedDate as number | undefined) ?? 0),
    };
  });
}
