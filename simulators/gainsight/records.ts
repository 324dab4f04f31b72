import type { World, WorldRow } from '../shared/world.js';

/** Gainsight records as the query API returns them, rendered from the world's rows (dates in epoch milliseconds). */

export type GainsightRecord = Record<string, unknown> & { Gsid: string };

export const COMPANY = 'Company';
export const SNAPSHOTS = 'CompanyHealthSnapshot__gc';
export const DELETE_LOG = 'record_delete_log';
export const SURVEY_RESPONSES = 'SurveyResponse__gc';

/** Fields holding a DATETIME: filters on them compare moments, whatever form the value takes. */
export const DATETIME_FIELDS = new Set(['CreatedDate', 'ModifiedDate', 'SnapshotDate', 'DeletedOn', 'RespondedDate']);

/** Each object's fields: selecting or filtering on another one is refused, as Gainsight does. */
export const FIELDS: Record<string, string[]> = {
  [COMPANY]: ['Gsid', 'Name', 'Industry', 'Employees', 'SfdcAccountId', 'HubSpotCompanyId__gc', 'Domain__gc', 'CurrentScore', 'PreviousScore', 'CreatedDate', 'ModifiedDate'],
  [SNAPSHOTS]: ['Gsid', 'CompanyId', 'CurrentScore', 'PreviousScore', 'SnapshotDate', 'CreatedDate', 'ModifiedDate'],
  [DELETE_LOG]: ['RecordId', 'ObjectName', 'DeletedOn'],
  [SURVEY_RESPONSES]: ['Gsid', 'CompanyId', 'ParticipantExternalId', 'SurveyType', 'Score', 'Comment', 'FeatureKey', 'RespondedDate', 'CreatedDate', 'ModifiedDate'],
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

/**
 * A survey answer (NPS, CSAT or a comment) as the survey object holds it: its company by GSID,
 * its participant by the product's own user id (the analytics tool's), its feature by key.
 */
export function surveyResponses(world: World): GainsightRecord[] {
  const gsidOf = new Map(world.rows('sales.company_identities').filter((i) => i.vendor === 'gainsight').map((i) => [i.company_id, i.external_id]));
  return world.rows('customer_success.feedback').filter((r) => r.vendor === 'gainsight').map((row) => {
    const raw = row.raw as Record<string, unknown>;
    return {
      Gsid: row.external_id, CompanyId: gsidOf.get(row.company_id) ?? null,
      ParticipantExternalId: row.end_user_id ? world.byId('analytics.end_users', row.end_user_id)?.external_id ?? null : null,
      SurveyType: raw.SurveyType, Score: row.score, Comment: row.body, FeatureKey: raw.FeatureKey,
      RespondedDate: ms(row.received_at), CreatedDate: ms(row.created_at), ModifiedDate: ms(row.updated_at),
    };
  });
}
