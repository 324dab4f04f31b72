import { fromCents } from '../core/decimal.js';
import { DAY, HOUR, sourceCells, SOURCE_COLUMNS, type SeedContext } from './context.js';
import { gainsightId } from './vendor-ids.js';

const COMMENTS = ['Love it', 'Hard to find', 'Saves us hours every week', 'Too slow on big accounts', 'Please add an export', 'Confusing at first', 'Exactly what we needed'];
const SNAPSHOTS = 3;

/**
 * Gainsight health snapshots (three a company, a month apart: the Company's Current and Previous
 * Score as a scoring period closed) and feedback on released features.
 */
export async function seedCustomerSuccess(ctx: SeedContext): Promise<number> {
  let total = await ctx.write('customer_success.health_scores', ['tenant_id', 'id', 'company_id', 'score', 'previous_score', 'measured_at', ...SOURCE_COLUMNS], healthScores(ctx));
  total += await ctx.write('customer_success.feedback', ['tenant_id', 'id', 'feature_id', 'company_id', 'end_user_id', 'kind', 'score', 'body', 'received_at', ...SOURCE_COLUMNS], feedback(ctx));
  return total;
}

/** Scores in hundredths (integers), drifting between snapshots and kept within 0..100. */
function* healthScores(ctx: SeedContext) {
  const random = ctx.random('health-scores');
  let h = 0;
  for (const company of ctx.companies) {
    let previous: number | null = null;
    let score = random.int(2_000, 9_500);
    const companyGsid = gainsightId('1P02', ctx.tenant, company.id);
    for (let k = SNAPSHOTS - 1; k >= 0; k--, h++) {
      const measuredAt = new Date(ctx.today - (k * 30 + random.int(1, 3)) * DAY + random.int(1, 6) * HOUR);
      const externalId = gainsightId('1S01', ctx.tenant, `health-${h}`);
      yield [ctx.tenant, ctx.id('health', h), company.id, fromCents(BigInt(score)), previous === null ? null : fromCents(BigInt(previous)), measuredAt,
        ...sourceCells(ctx, {
          vendor: 'gainsight', externalId, url: `https://${ctx.tenant}.gainsightcloud.com/v1/ui/customersuccess360#/?cid=${companyGsid}`, createdAt: measuredAt, updatedAt: measuredAt,
          // A record of the health snapshot object, as Gainsight's query API returns it (dates in epoch milliseconds).
          raw: {
            Gsid: externalId, CompanyId: companyGsid, CurrentScore: score / 100, PreviousScore: previous === null ? null : previous / 100,
            SnapshotDate: measuredAt.getTime(), CreatedDate: measuredAt.getTime(), ModifiedDate: measuredAt.getTime(),
          },
        })];
      previous = score;
      score = Math.max(0, Math.min(10_000, score + random.int(-2_000, 1_200)));
    }
  }
}

/** NPS (0-10), CSAT (1-5) and comments (no score) from end users of companies, after the feature's release. */
function* feedback(ctx: SeedContext) {
  const random = ctx.random('feedback');
  const released = ctx.features.filter((f) => f.releasedAt && f.releasedAt.getTime() < ctx.today);
  const users = ctx.endUsers.filter((u) => u.companyId);
  for (let i = 0; i < ctx.volumes.feedback && released.length && users.length; i++) {
    const feature = released[random.skewed(released.length, 1.4)];
    const user = users[random.int(0, users.length - 1)];
    const kind = random.weighted({ nps: 4, csat: 4, comment: 2 });
    const score = kind === 'nps' ? Number(random.weighted({ 10: 3, 9: 3, 8: 2, 7: 2, 6: 1, 5: 1, 3: 1, 0: 1 }))
      : kind === 'csat' ? Number(random.weighted({ 5: 4, 4: 3, 3: 2, 2: 1, 1: 1 })) : null;
    const releasedAt = feature.releasedAt!.getTime();
    const receivedAt = new Date(releasedAt + Math.floor(random.next() * (ctx.today - releasedAt)));
    const body = kind === 'comment' || random.chance(0.3) ? random.pick(COMMENTS) : null;
    const externalId = gainsightId('1I00', ctx.tenant, `feedback-${i}`);
    yield [ctx.tenant, ctx.id('feedback', i), feature.id, user.companyId, user.id, kind, score, body, receivedAt,
      ...sourceCells(ctx, {
        vendor: 'gainsight', externalId, url: `https://${ctx.tenant}.gainsightcloud.com/v1/ui/surveys#/responses/${externalId}`, createdAt: receivedAt, updatedAt: receivedAt,
        raw: { Gsid: externalId, SurveyType: kind.toUpperCase(), Score: score, Comment: body, FeatureKey: feature.key, RespondedDate: receivedAt.toISOString() },
      })];
  }
}
