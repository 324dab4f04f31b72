import { computed, decimal, integer, MappingError, oneOf, text, timestamp, type Field, type TableMapping } from '../../../../sync/mapping.js';

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

/** The survey answers object (a connection may name its own), and what the feedback needs of it. */
export const DEFAULT_SURVEY_OBJECT = 'SurveyResponse__gc';
export const surveyObject = (config: Record<string, unknown>) => (typeof config.surveyObject === 'string' && config.surveyObject) || DEFAULT_SURVEY_OBJECT;
export const SURVEY_FIELDS = ['Gsid', 'CompanyId', 'ParticipantExternalId', 'SurveyType', 'Score', 'Comment', 'FeatureKey', 'RespondedDate', 'CreatedDate', 'ModifiedDate'];

const surveyKind = oneOf('SurveyType', { NPS: 'nps', CSAT: 'csat', COMMENT: 'comment' } as const, { caseInsensitive: true });
/** The score scale of each kind of answer: NPS 0 to 10, CSAT 1 to 5, a comment none. */
const SCALES = { nps: [0, 10], csat: [1, 5] } as const;
const rawScore = integer('Score', { optional: true });

/**
 * A survey answer -> customer_success.feedback: its kind, its score checked against the kind's
 * scale (an answer off the scale is a record error, not a failed page), its comment, when it was
 * given. Its company is the Gainsight company's, its end user the participant's id in the
 * product's analytics (Amplitude), its feature found by key before the page is stored.
 */
export const feedbackMapping: TableMapping = {
  table: 'customer_success.feedback',
  entity: 'Feedback',
  externalId: text('Gsid') as TableMapping['externalId'],
  url: computed((o: { Gsid?: unknown }, ctx) => `https://${site(ctx.config)}.gainsightcloud.com/v1/ui/surveys#/responses/${String(o.Gsid ?? '')}`),
  updatedAt: timestamp('ModifiedDate', { unit: 'ms' }),
  createdAt: timestamp('CreatedDate', { unit: 'ms', optional: true }),
  columns: {
    kind: surveyKind,
    score: computed((o, ctx) => {
      const kind = surveyKind.read(o, ctx) as 'nps' | 'csat' | 'comment';
      const value = rawScore.read(o, ctx);
      if (kind === 'comment') return value;
      if (value === null) throw new MappingError('Score', `missing: a ${kind.toUpperCase()} answer has a score`);
      const [min, max] = SCALES[kind];
      if (value < min || value > max) throw new MappingError('Score', `${value} is off the ${kind.toUpperCase()} scale (${min} to ${max})`);
      return value;
    }),
    body: text('Comment', { optional: true, maxLength: 10_000 }),
    received_at: timestamp('RespondedDate', { unit: 'ms' }),
    feature_id: text('FeatureKey', { optional: true }),
  },
  refs: {
    company_id: { from: text('CompanyId', { optional: true }), table: 'sales.companies', via: 'company' },
    end_user_id: { from: text('ParticipantExternalId', { optional: true }), table: 'analytics.end_users', vendor: 'amplitude' },
  },
};
