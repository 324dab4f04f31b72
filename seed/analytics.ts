import { sql } from 'kysely';
import type { Db } from '../core/db.js';
import { copyRows, type Cell } from './copy.js';
import { DAY, SOURCE_COLUMNS, daysAgo, type SeedContext } from './context.js';

const EVENT_DAYS = 180;

/** Amplitude users: nine in ten belong to a company (the big ones have more). */
export async function seedEndUsers(ctx: SeedContext): Promise<number> {
  const random = ctx.random('end-users');
  const rows = [];
  for (let i = 0; i < ctx.volumes.endUsers; i++) {
    const company = random.chance(0.9) ? ctx.companies[random.skewed(ctx.companies.length, 1.5)] : null;
    const id = ctx.id('end-user', i);
    ctx.endUsers.push({ id, companyId: company?.id ?? null });
    const userId = `u-${100_000 + i}`;
    rows.push([ctx.tenant, id, company?.id ?? null, company ? `user${i}@${company.domain}` : `user${i}@mail.example.org`,
      'amplitude', userId, `https://app.amplitude.com/analytics/${ctx.tenant}/project/1/search/${userId}`, ctx.anchor, daysAgo(ctx, 1),
      { user_id: userId, user_properties: { plan: random.pick(['free', 'team', 'business']) }, groups: company ? { company: company.domain } : {} }]);
  }
  return copyRows(ctx.url, 'analytics.end_users', ['tenant_id', 'id', 'company_id', 'email', ...SOURCE_COLUMNS], rows);
}

/**
 * Usage events over the last 180 days, streamed: heavy users, favourite features, nothing
 * before a feature's release, and every tenth released feature never used at all.
 */
export async function seedUsageEvents(ctx: SeedContext, db: Db): Promise<number> {
  const from = new Date(ctx.today - EVENT_DAYS * DAY);
  await sql`select analytics.ensure_usage_partitions(${from}, ${ctx.anchor})`.execute(db);
  const usable = ctx.features.filter((f, i) => f.releasedAt && f.releasedAt < ctx.anchor && i % 10 !== 9);
  const random = ctx.random('usage-events');
  const now = ctx.anchor.getTime();
  const span = now - from.getTime();
  const users = ctx.endUsers;
  function* events(): Generator<Cell[]> {
    for (let n = 0; n < ctx.volumes.usageEvents; n++) {
      const u = random.skewed(users.length, 1.8);
      let at = now - random.next() * span;
      let feature: (typeof usable)[number] | null = null;
      if (usable.length && !random.chance(0.12)) {
        feature = random.chance(0.7) ? usable[(u * 7919 + random.int(0, 3) * 104_729) % usable.length] : usable[random.skewed(usable.length, 1.3)];
        const released = feature.releasedAt!.getTime();
        if (at < released) at = released + random.next() * (now - released);
      }
      yield [ctx.tenant, new Date(Math.floor(at)), `evt-${n}`, users[u].id, feature?.id ?? null, feature ? 'feature_used' : 'session_start', 'amplitude', ctx.anchor, null];
    }
  }
  return copyRows(ctx.url, 'analytics.usage_events', ['tenant_id', 'occurred_at', 'insert_id', 'end_user_id', 'feature_id', 'event_type', 'vendor', 'synced_at', 'raw'], events());
}

export async function seedExperiments(ctx: SeedContext): Promise<number> {
  const random = ctx.random('experiments');
  const rows = [];
  const count = Math.max(2, Math.round(ctx.volumes.features / 24));
  for (let i = 0; i < count; i++) {
    const feature = ctx.features[random.int(0, ctx.features.length - 1)];
    const status = random.weighted({ draft: 1, running: 2, stopped: 3 });
    const startedAt = status === 'draft' ? null : daysAgo(ctx, random.int(10, 120));
    const externalId = String(300_000 + i);
    rows.push([ctx.tenant, ctx.id('experiment', i), feature.id, `${feature.key} rollout test ${i}`, status, startedAt,
      status === 'stopped' && startedAt ? new Date(startedAt.getTime() + 14 * DAY) : null,
      'amplitude', externalId, `https://app.amplitude.com/experiment/${ctx.tenant}/1/config/${externalId}`, ctx.anchor, startedAt ?? daysAgo(ctx, 3), { id: externalId, state: status }]);
  }
  return copyRows(ctx.url, 'analytics.experiments', ['tenant_id', 'id', 'feature_id', 'name', 'status', 'started_at', 'ended_at', ...SOURCE_COLUMNS], rows);
}
