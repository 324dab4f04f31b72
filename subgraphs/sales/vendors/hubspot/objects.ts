/** HubSpot CRM v3 object shapes and the request pieces the streams share. */

export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
  [key: symbol]: unknown;
}

export interface HubSpotPage {
  results: HubSpotObject[];
  paging?: { next?: { after: string; link?: string } };
}

export type ObjectType = 'companies' | 'deals';

/** The property every incremental read filters and sorts on. */
export const MODIFIED = 'hs_lastmodifieddate';

/** A record's last modification in epoch milliseconds (search filters take milliseconds), or null. */
export function modifiedAt(record: HubSpotObject): number | null {
  const value = Date.parse(record.properties?.[MODIFIED] ?? record.updatedAt ?? '');
  return Number.isNaN(value) ? null : value;
}

export function listPageSize(config: Record<string, unknown>): number {
  return Math.min(100, Math.max(1, Number(config.pageSize) || 100));
}

export function searchPageSize(config: Record<string, unknown>): number {
  return Math.min(200, Math.max(1, Number(config.pageSize) || 200));
}
