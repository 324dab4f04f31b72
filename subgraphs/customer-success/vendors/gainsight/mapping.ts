import { computed, decimal, MappingError, text, timestamp, type Field, type TableMapping } from '../../../../sync/mapping.js';

/** The health snapshot object a Gainsight rule fills each scoring period (a connection may name its own). */
export const DEFAULT_SNAPSHOT_OBJECT = 'CompanyHealthSnapshot__gc';
export const snapshotObject = (config: Record<string, unknown>) => (typeof config.snapshotObject === 'string' && config.snapshotObject) || DEFAULT_SNAPSHOT_OBJECT;

/** Company fields the identity needs: the CRM account it was created from, then its web domain. */
export const COMPANY_FIELDS = ['Gsid', 'Name', 'SfdcAccountId', 'HubSpotCompanyId__gc', 'Domain__gc', 'CreatedDate', 'ModifiedDate'];
export const SNAPSHOT_FIELDS = ['Gsid', 'CompanyId', 'CurrentScore', 'PreviousScore', 'SnapshotDate', 'CreatedDate', 'ModifiedDate'];

/** A health score: 0 to 100 with two decimals, exact as Gainsight gave it. */
function score(path: string, options: { optional?: boolean } = {}): Field<string | null> {
  const read = decimal(path, { ...options, min: 0 });
  return {
    read(record, ctx) {
      const value = read.read(record, ctx);
      if (value !== null && Number(value) > 100) throw new MappingError(path, `${value} is above 100`);
      return value;
    },
  };
}

const site = (config: Record<string, unknown>) => (typeof config.site === 'string' && config.site) || 'app';

/** A snapshot of a company's health: its Current Score and Previous Score when the scoring period closed. */
export const healthScoreMapping: TableMapping = {
  table: 'customer_success.health_scores',
  entity: 'HealthScore',
  externalId: text('Gsid') as TableMapping['externalId'],
  url: computed((o: { CompanyId?: unknown }, ctx) => `https://${site(ctx.config)}.gainsightcloud.com/v1/ui/customersuccess360#/?cid=${String(o.CompanyId ?? '')}`),
  updatedAt: timestamp('ModifiedDate', { unit: 'ms' }),
  createdAt: timestamp('CreatedDate', { unit: 'ms', optional: true }),
  columns: {
    score: score('CurrentScore'),
    previous_score: score('PreviousScore', { optional: true }),
    measured_at: timestamp('SnapshotDate', { unit: 'ms' }),
  },
  refs: { company_id: { from: text('CompanyId'), table: 'sales.companies', via: 'company', required: true } },
};

/** A Gainsight company is not a row of its own: it is the identity of a company (its CRM account id, else its domain). */
export const companyMapping: TableMapping = {
  table: 'sales.company_identities',
  externalId: text('Gsid') as TableMapping['externalId'],
  updatedAt: timestamp('ModifiedDate', { unit: 'ms', optional: true }),
  columns: {
    domain: text('Domain__gc', { optional: true }),
    salesforce_id: text('SfdcAccountId', { optional: true }),
    hubspot_id: text('HubSpotCompanyId__gc', { optional: true }),
  },
};
