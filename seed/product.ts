import { copyRows } from './copy.js';
import { DAY, HOUR, SOURCE_COLUMNS, daysAgo, type SeedContext } from './context.js';

const AREAS = ['Dashboards', 'Alerts', 'Search', 'Billing', 'Onboarding', 'Reports', 'Permissions', 'Exports', 'Integrations', 'Mobile', 'Workflows', 'Audit Log', 'Comments', 'Templates', 'API', 'SSO'];
const VERBS = ['Smart', 'Bulk', 'Scheduled', 'Custom', 'Shared', 'Real-time', 'Advanced', 'Guided', 'Inline', 'Team'];
const TEAMS = ['growth', 'platform', 'insights', 'core', 'mobile'];

/** Jira fix versions, spread over the last year; the newest few are still upcoming. */
export async function seedReleases(ctx: SeedContext): Promise<number> {
  const random = ctx.random('releases');
  const n = ctx.volumes.releases;
  const upcoming = Math.max(1, Math.round(n * 0.2));
  const rows = [];
  for (let i = 0; i < n; i++) {
    const id = ctx.id('release', i);
    const released = i < n - upcoming;
    // Released ones evenly over the last 360 days (newest a few days ago); upcoming ones planned ahead.
    const date = released ? new Date(ctx.today - Math.round(((n - upcoming - 1 - i) * 360) / Math.max(1, n - upcoming) + 2) * DAY) : new Date(ctx.today + (i - (n - upcoming) + 1) * 14 * DAY);
    const releasedAt = released ? new Date(date.getTime() + random.int(9, 17) * HOUR) : null;
    ctx.releases.push({ id, releasedAt });
    const externalId = String(10_000 + i);
    rows.push([
      ctx.tenant, id, `${2026 - Math.floor((n - i) / 12)}.${(i % 12) + 1}`, `v${Math.floor(i / 12) + 1}.${i % 12}.0`, `Release train ${i + 1}`, released,
      date.toISOString().slice(0, 10), releasedAt,
      'jira', externalId, `https://${ctx.tenant}.atlassian.net/projects/PG/versions/${externalId}`, ctx.anchor, releasedAt ?? daysAgo(ctx, 1),
      { id: externalId, name: `v${i}`, released, releaseDate: date.toISOString().slice(0, 10), projectId: 10000 },
    ]);
  }
  return copyRows(ctx.url, 'product.releases', ['tenant_id', 'id', 'name', 'version', 'description', 'released', 'release_date', 'released_at', ...SOURCE_COLUMNS], rows);
}

/**
 * Features: about half released (with their release), the rest in flight. A few are released
 * exactly on the edges of the 90-day report window, and some released ones are never used.
 */
export async function seedFeatures(ctx: SeedContext): Promise<number> {
  const random = ctx.random('features');
  const released = ctx.releases.filter((r) => r.releasedAt);
  const windowEdge = ctx.today - 90 * DAY;
  const rows = [];
  for (let i = 0; i < ctx.volumes.features; i++) {
    const id = ctx.id('feature', i);
    const key = `PG-${100 + i}`;
    const status = random.weighted({ released: 55, in_progress: 15, planned: 12, backlog: 13, archived: 5 });
    const release = status === 'released' ? released[random.skewed(released.length, 0.6)] ?? null : null;
    let releasedAt = release?.releasedAt ? new Date(release.releasedAt.getTime() - random.int(0, 3) * HOUR) : null;
    if (i === 1) releasedAt = new Date(windowEdge);
    if (i === 2) releasedAt = new Date(windowEdge - 1);
    const finalStatus = releasedAt ? 'released' : status === 'released' ? 'in_progress' : status;
    const team = random.pick(TEAMS);
    const createdAt = new Date((releasedAt?.getTime() ?? ctx.anchor.getTime()) - random.int(20, 200) * DAY);
    const updatedAt = new Date(Math.min(ctx.anchor.getTime(), (releasedAt?.getTime() ?? createdAt.getTime()) + random.int(0, 30) * DAY));
    ctx.features.push({ id, key, releasedAt, team });
    const jira = random.chance(0.8);
    const externalId = jira ? String(20_000 + i) : `${ctx.id('pb-feature', i)}`;
    const name = `${random.pick(VERBS)} ${random.pick(AREAS)} ${i}`;
    rows.push([
      ctx.tenant, id, key, name, `${name}: make ${team} work faster.`, finalStatus, random.weighted({ low: 2, medium: 5, high: 3, critical: 1 }), team,
      releasedAt ? release?.id ?? released[0]?.id ?? null : null, releasedAt, createdAt, updatedAt,
      jira ? 'jira' : 'productboard', externalId,
      jira ? `https://${ctx.tenant}.atlassian.net/browse/${key}` : `https://${ctx.tenant}.productboard.com/feature-board/features/${externalId}/detail`,
      ctx.anchor, updatedAt,
      jira
        ? { id: externalId, key, fields: { summary: name, status: { name: finalStatus, statusCategory: { key: releasedAt ? 'done' : 'indeterminate' } }, issuetype: { name: 'Epic' }, updated: updatedAt.toISOString() } }
        : { id: externalId, name, status: { name: finalStatus }, links: { html: `https://${ctx.tenant}.productboard.com/feature-board/features/${externalId}/detail` } },
    ]);
  }
  return copyRows(ctx.url, 'product.features', ['tenant_id', 'id', 'key', 'name', 'description', 'status', 'priority', 'team', 'release_id', 'released_at', 'created_at', 'updated_at', ...SOURCE_COLUMNS], rows);
}
