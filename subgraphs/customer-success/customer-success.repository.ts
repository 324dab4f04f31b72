import { sql } from 'kysely';
import type { Db } from '../../core/db.js';
import { keysetPage, keysetPagesByParent, type Ordering, type PageArgs } from '../../core/pagination.js';
import { anyId } from '../../core/sql.js';
import { bandOf, type HealthScore } from './health-score.type.js';
import type { Feedback, FeedbackKind } from './feedback.type.js';
import type { FeatureSatisfaction } from './satisfaction.type.js';

const HEALTH_COLUMNS = [
  'h.id', 'h.score', 'h.previous_score as previousScore', 'h.measured_at as measuredAt', 'h.company_id as companyId',
  'h.vendor', 'h.external_id', 'h.url', 'h.synced_at',
] as const;

type HealthRow = Omit<HealthScore, 'score' | 'previousScore' | 'band'> & { score: string; previousScore: string | null };

function toHealth(row: HealthRow): HealthScore {
  const score = Number(row.score);
  return { ...row, score, previousScore: row.previousScore === null ? null : Number(row.previousScore), band: bandOf(score) };
}

export async function healthScoresByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<HealthScore[]> {
  const rows = await db.selectFrom('customer_success.health_scores as h').select(HEALTH_COLUMNS).where('h.tenant_id', '=', tenantId).where(anyId('h.id', ids)).execute();
  return (rows as HealthRow[]).map(toHealth);
}

/** Each company's newest snapshot among `companyIds` (of those measured at or before `at`, when given), before its columns are chosen. */
function newestSnapshots(db: Db, tenantId: string, companyIds: readonly string[], at: Date | null) {
  const query = db.selectFrom('customer_success.health_scores as h')
    .distinctOn('h.company_id')
    .where('h.tenant_id', '=', tenantId).where(anyId('h.company_id', companyIds))
    .orderBy('h.company_id').orderBy('h.measured_at', 'desc').orderBy('h.id', 'desc');
  return at ? query.where('h.measured_at', '<=', at) : query;
}

/** Per company, its newest health score (of those measured at or before `at`, when given). */
export async function latestHealthByCompany(db: Db, tenantId: string, companyIds: readonly string[], at: Date | null = null): Promise<Map<string, HealthScore>> {
  const rows = await newestSnapshots(db, tenantId, companyIds, at).select(HEALTH_COLUMNS).execute();
  return new Map((rows as HealthRow[]).map((r) => [r.companyId, toHealth(r)]));
}

/** A company's newest score and the one before it, as exact decimal text: what bands, churn risk and sums of scores need. */
export interface CompanyScore {
  score: string;
  previousScore: string | null;
}

/** latestHealthByCompany's scores only: for thousands of companies at once (a segment's), without the rest of each snapshot. */
export async function latestScoreByCompany(db: Db, tenantId: string, companyIds: readonly string[], at: Date | null): Promise<Map<string, CompanyScore>> {
  const rows = await newestSnapshots(db, tenantId, companyIds, at).select(['h.company_id', 'h.score', 'h.previous_score']).execute();
  return new Map(rows.map((r) => [r.company_id, { score: r.score, previousScore: r.previous_score }]));
}

const FEEDBACK_COLUMNS = [
  'f.id', 'f.kind', 'f.score', 'f.body', 'f.received_at as receivedAt', 'f.feature_id as featureId', 'f.company_id as companyId',
  'f.vendor', 'f.external_id', 'f.url', 'f.synced_at',
] as const;
const FEEDBACK_ORDERING: Ordering = { name: 'feedback:received_at:desc', keys: ['f.received_at', 'f.id'], direction: 'desc' };

export interface FeedbackFilterValues { featureId?: string | null; companyId?: string | null; kind?: FeedbackKind | null; receivedFrom?: Date | null; receivedTo?: Date | null }

function feedbackQuery(db: Db, tenantId: string, filter: FeedbackFilterValues) {
  let query = db.selectFrom('customer_success.feedback as f').select(FEEDBACK_COLUMNS).where('f.tenant_id', '=', tenantId);
  if (filter.featureId) query = query.where('f.feature_id', '=', filter.featureId);
  if (filter.companyId) query = query.where('f.company_id', '=', filter.companyId);
  if (filter.kind) query = query.where('f.kind', '=', filter.kind);
  if (filter.receivedFrom) query = query.where('f.received_at', '>=', filter.receivedFrom);
  if (filter.receivedTo) query = query.where('f.received_at', '<', filter.receivedTo);
  return query;
}

export async function feedbackByIds(db: Db, tenantId: string, ids: readonly string[]): Promise<Feedback[]> {
  return (await feedbackQuery(db, tenantId, {}).where(anyId('f.id', ids)).execute()) as Feedback[];
}

export async function feedbackPage(db: Db, tenantId: string, filter: FeedbackFilterValues, page: PageArgs) {
  return keysetPage<Feedback>(db, feedbackQuery(db, tenantId, filter), FEEDBACK_ORDERING, page);
}

export async function feedbackPagesByFeature(db: Db, tenantId: string, featureIds: readonly string[], kind: FeedbackKind | null, page: PageArgs) {
  const query = feedbackQuery(db, tenantId, { kind }).where(anyId('f.feature_id', featureIds));
  return keysetPagesByParent<Feedback>(db, query, 'f.feature_id', featureIds, FEEDBACK_ORDERING, page);
}

/** Per feature, the counts behind CSAT and NPS, in one grouped statement. */
export async function satisfactionByFeature(db: Db, tenantId: string, featureIds: readonly string[]): Promise<Map<string, FeatureSatisfaction>> {
  const rows = await db.selectFrom('customer_success.feedback as f')
    .select([
      'f.feature_id',
      sql<string>`count(*)`.as('responses'),
      sql<string>`count(*) filter (where f.kind = 'csat')`.as('csat_responses'),
      sql<string>`count(*) filter (where f.kind = 'csat' and f.score >= 4)`.as('satisfied'),
      sql<string | null>`avg(f.score) filter (where f.kind = 'csat')`.as('average_csat'),
      sql<string>`count(*) filter (where f.kind = 'nps')`.as('nps_responses'),
      sql<string>`count(*) filter (where f.kind = 'nps' and f.score >= 9)`.as('promoters'),
      sql<string>`count(*) filter (where f.kind = 'nps' and f.score <= 6)`.as('detractors'),
    ])
    .where('f.tenant_id', '=', tenantId).where(anyId('f.feature_id', featureIds)).groupBy('f.feature_id')
    .execute();
  return new Map(rows.map((r) => [r.feature_id!, satisfaction(r)]));
}

function satisfaction(r: { responses: string; csat_responses: string; satisfied: string; average_csat: string | null; nps_responses: string; promoters: string; detractors: string }): FeatureSatisfaction {
  const [csatResponses, satisfied, npsResponses, promoters, detractors] = [r.csat_responses, r.satisfied, r.nps_responses, r.promoters, r.detractors].map(Number);
  return {
    responses: Number(r.responses),
    csatResponses,
    satisfiedResponses: satisfied,
    csat: csatResponses ? (100 * satisfied) / csatResponses : null,
    averageCsat: r.average_csat === null ? null : Number(r.average_csat),
    npsResponses,
    promoters,
    detractors,
    nps: npsResponses ? (100 * (promoters - detractors)) / npsResponses : null,
  };
}

export const NO_SATISFACTION: FeatureSatisfaction = Object.freeze(satisfaction({ responses: '0', csat_responses: '0', satisfied: '0', average_csat: null, nps_responses: '0', promoters: '0', detractors: '0' }));
