import { DAY, HOUR, daysAgo, sourceCells, SOURCE_COLUMNS, type SeedContext } from './context.js';
import { EVENT_DAYS } from './usage-events.js';

/** The Amplitude project (app) the events belong to. */
export const AMPLITUDE_PROJECT_ID = 412_118;
const FIRST_NAMES = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kofi', 'lena', 'mo', 'nia', 'omar', 'pia'];
const LAST_NAMES = ['smith', 'garcia', 'kim', 'okafor', 'novak', 'silva', 'haddad', 'berg', 'tanaka', 'costa'];

/** Amplitude users: nine in ten belong to a company (the big accounts have more of them), their account group its domain. */
export async function seedEndUsers(ctx: SeedContext): Promise<number> {
  const random = ctx.random('end-users');
  function* rows() {
    for (let i = 0; i < ctx.volumes.endUsers; i++) {
      const company = random.chance(0.9) ? ctx.companies[random.skewed(ctx.companies.length, 1.5)] : null;
      const id = ctx.id('end-user', i);
      ctx.endUsers.push({ id, companyId: company?.id ?? null });
      const userId = `usr_${(1_000_003 + i * 7).toString(36)}`;
      const amplitudeId = 300_000_000_000 + i * 97;
      const local = `${random.pick(FIRST_NAMES)}.${random.pick(LAST_NAMES)}${i}`;
      const email = `${local}@${company?.domain ?? 'mail.example.org'}`;
      const createdAt = new Date(ctx.today - random.int(EVENT_DAYS + 1, 900) * DAY);
      yield [ctx.tenant, id, company?.id ?? null, email, ...sourceCells(ctx, {
        vendor: 'amplitude', externalId: userId, url: `https://app.amplitude.com/analytics/${ctx.tenant}/project/${AMPLITUDE_PROJECT_ID}/search/amplitude_id%3D${amplitudeId}`,
        createdAt, updatedAt: daysAgo(ctx, random.int(1, 30)),
        raw: { user_id: userId, amplitude_id: amplitudeId, user_properties: { email, plan: random.pick(['free', 'team', 'business']) }, groups: company ? { company: company.domain } : {} },
      })];
    }
  }
  return ctx.write('analytics.end_users', ['tenant_id', 'id', 'company_id', 'email', ...SOURCE_COLUMNS], rows());
}

/** Amplitude experiments on some features: drafts, running and stopped ones. */
export async function seedExperiments(ctx: SeedContext): Promise<number> {
  const random = ctx.random('experiments');
  const count = Math.max(2, Math.round(ctx.volumes.features / 24));
  function* rows() {
    for (let i = 0; i < count; i++) {
      const feature = ctx.features[random.int(0, ctx.features.length - 1)];
      const status = random.weighted({ draft: 1, running: 2, stopped: 3 });
      const createdAt = daysAgo(ctx, random.int(20, 150));
      const startedAt = status === 'draft' ? null : new Date(createdAt.getTime() + random.int(1, 10) * DAY);
      const endedAt = status === 'stopped' && startedAt ? new Date(Math.min(ctx.today - HOUR, startedAt.getTime() + random.int(7, 21) * DAY)) : null;
      const externalId = String(300_000 + i);
      const updatedAt = endedAt ?? startedAt ?? createdAt;
      yield [ctx.tenant, ctx.id('experiment', i), feature.id, `${feature.key} rollout test ${i + 1}`, status, startedAt, endedAt, ...sourceCells(ctx, {
        vendor: 'amplitude', externalId, url: `https://app.amplitude.com/experiment/${ctx.tenant}/${AMPLITUDE_PROJECT_ID}/config/${externalId}`, createdAt, updatedAt,
        raw: { id: externalId, key: `${feature.key.toLowerCase()}-rollout-${i + 1}`, state: status, variants: [{ key: 'control' }, { key: 'treatment' }] },
      })];
    }
  }
  return ctx.write('analytics.experiments', ['tenant_id', 'id', 'feature_id', 'name', 'status', 'started_at', 'ended_at', ...SOURCE_COLUMNS], rows());
}
