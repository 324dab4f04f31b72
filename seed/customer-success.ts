import { copyRows } from './copy.js';
import { SOURCE_COLUMNS, daysAgo, type SeedContext } from './context.js';

const COMMENTS = ['Love it', 'Hard to find', 'Saves us hours every week', 'Too slow on big accounts', 'Please add an export', 'Confusing at first', 'Exactly what we needed'];

/** Gainsight health snapshots (three a company, a month apart) and feedback on released features. */
export async function seedCustomerSuccess(ctx: SeedContext): Promise<number> {
  const random = ctx.random('customer-success');
  const healthRows = [];
  let h = 0;
  for (const company of ctx.companies) {
    let previous: number | null = null;
    let score = random.int(20, 95);
    for (let k = 2; k >= 0; k--, h++) {
      const measuredAt = daysAgo(ctx, k * 30 + random.int(0, 3));
      const externalId = `1S0${String(h).padStart(15, '0')}`;
      healthRows.push([ctx.tenant, ctx.id('health', h), company.id, score.toFixed(2), previous === null ? null : previous.toFixed(2), measuredAt,
        'gainsight', externalId, null, ctx.anchor, measuredAt, { Gsid: externalId, CurrentScore: score, PreviousScore: previous }]);
      previous = score;
      score = Math.max(0, Math.min(100, score + random.int(-20, 12)));
    }
  }
  let total = await copyRows(ctx.url, 'customer_success.health_scores', ['tenant_id', 'id', 'company_id', 'score', 'previous_score', 'measured_at', ...SOURCE_COLUMNS], healthRows);

  const released = ctx.features.filter((f) => f.releasedAt && f.releasedAt < ctx.anchor);
  const users = ctx.endUsers.filter((u) => u.companyId);
  const feedbackRows = [];
  for (let i = 0; i < ctx.volumes.feedback && released.length && users.length; i++) {
    const feature = released[random.skewed(released.length, 1.4)];
    const user = users[random.int(0, users.length - 1)];
    const kind = random.weighted({ nps: 4, csat: 4, comment: 2 });
    const score = kind === 'nps' ? random.weighted({ 10: 3, 9: 3, 8: 2, 7: 2, 6: 1, 5: 1, 3: 1, 0: 1 }) : kind === 'csat' ? random.weighted({ 5: 4, 4: 3, 3: 2, 2: 1, 1: 1 }) : null;
    const releasedAt = feature.releasedAt!.getTime();
    const receivedAt = new Date(releasedAt + random.next() * (ctx.anchor.getTime() - releasedAt));
    const externalId = `fb-${40_000 + i}`;
    feedbackRows.push([ctx.tenant, ctx.id('feedback', i), feature.id, user.companyId, user.id, kind, score === null ? null : Number(score),
      kind === 'comment' || random.chance(0.3) ? random.pick(COMMENTS) : null, receivedAt,
      'gainsight', externalId, null, ctx.anchor, receivedAt, { id: externalId, type: kind, score, feature: feature.key }]);
  }
  total += await copyRows(ctx.url, 'customer_success.feedback', ['tenant_id', 'id', 'feature_id', 'company_id', 'end_user_id', 'kind', 'score', 'body', 'received_at', ...SOURCE_COLUMNS], feedbackRows);
  return total;
}
