import { DAY, HOUR, atMost, isoDay, sourceCells, SOURCE_COLUMNS, type SeedContext } from './context.js';

const AREAS = ['Dashboards', 'Alerts', 'Search', 'Billing', 'Onboarding', 'Reports', 'Permissions', 'Exports', 'Integrations', 'Mobile', 'Workflows', 'Audit Log', 'Comments', 'Templates', 'API', 'SSO'];
const VERBS = ['Smart', 'Bulk', 'Scheduled', 'Custom', 'Shared', 'Real-time', 'Advanced', 'Guided', 'Inline', 'Team'];
export const TEAMS = ['growth', 'platform', 'insights', 'core', 'mobile'];
const JIRA_STATUS: Record<string, string> = { backlog: 'Backlog', planned: 'Selected for Development', in_progress: 'In Progress', released: 'Done', archived: "Won't Do" };
const PRODUCTBOARD_STATUS: Record<string, string> = { backlog: 'New idea', planned: 'Planned', in_progress: 'In progress', released: 'Released', archived: 'Archived' };
const PRIORITY: Record<string, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Highest' };
/** The adoption report's default window: features released on its edges are generated on purpose. */
const REPORT_WINDOW_DAYS = 90;
const PLANNED_AHEAD = 3;
/** Days before "now" of the newest release; the oldest is a year back. */
const NEWEST_RELEASE_DAYS = 10;

/** A release's version number ('1.2.0') and its Jira version id, by its position. */
const versionNumber = (i: number) => `${Math.floor(i / 10) + 1}.${i % 10}.0`;
const versionExternalId = (i: number) => String(10_100 + i);

/** Jira fix versions: about 60% released, evenly over the last year; the next three planned two weeks apart, later ones undated. */
export async function seedReleases(ctx: SeedContext): Promise<number> {
  const random = ctx.random('releases');
  const n = ctx.volumes.releases;
  const releasedCount = Math.max(1, Math.round(n * 0.6));
  function* rows() {
    for (let i = 0; i < n; i++) {
      const id = ctx.id('release', i);
      const released = i < releasedCount;
      const daysBack = releasedCount > 1 ? Math.round(NEWEST_RELEASE_DAYS + ((releasedCount - 1 - i) * (360 - NEWEST_RELEASE_DAYS)) / (releasedCount - 1)) : NEWEST_RELEASE_DAYS;
      const upcoming = i - releasedCount + 1;
      // The next few are planned two weeks apart (a plan may lie ahead of "now"); later ones have no date yet.
      const date = released ? ctx.today - daysBack * DAY : upcoming <= PLANNED_AHEAD ? ctx.today + upcoming * 14 * DAY : null;
      const releasedAt = released ? new Date(date! + random.int(9, 17) * HOUR + random.int(0, 59) * 60_000) : null;
      ctx.releases.push({ id, releasedAt });
      const version = versionNumber(i);
      const externalId = versionExternalId(i);
      const createdAt = new Date((released ? date! : ctx.today) - random.int(30, 60) * DAY);
      const updatedAt = releasedAt ?? atMost(ctx, createdAt.getTime() + random.int(1, 20) * DAY);
      const releaseDate = date === null ? null : isoDay(date);
      yield [ctx.tenant, id, `v${version}`, version, `Release train ${i + 1}`, released, releaseDate, releasedAt,
        ...sourceCells(ctx, {
          vendor: 'jira', externalId, url: `https://${ctx.tenant}.atlassian.net/projects/PG/versions/${externalId}`, createdAt, updatedAt,
          raw: { self: `https://${ctx.tenant}.atlassian.net/rest/api/3/version/${externalId}`, id: externalId, name: `v${version}`, description: `Release train ${i + 1}`, archived: false, released, ...(releaseDate ? { releaseDate } : {}), projectId: 10_000 },
        })];
    }
  }
  return ctx.write('product.releases', ['tenant_id', 'id', 'name', 'version', 'description', 'released', 'release_date', 'released_at', ...SOURCE_COLUMNS], rows());
}

/**
 * Features, mostly Jira epics, some Productboard features: about half released with their
 * release (newer releases carry more, so a good share falls in the last 90 days), the rest
 * in flight. Three sit exactly on the edges of the 90-day window: at its first instant, one
 * millisecond before it, and at "now".
 */
export async function seedFeatures(ctx: SeedContext): Promise<number> {
  const random = ctx.random('features');
  const released = ctx.releases.filter((r) => r.releasedAt);
  const windowStart = ctx.today - REPORT_WINDOW_DAYS * DAY;
  const edges = new Map<number, number>([[1, windowStart], [2, windowStart - 1], [3, ctx.today]]);
  const names = new Map<string, number>();
  function* rows() {
    for (let i = 0; i < ctx.volumes.features; i++) {
      const id = ctx.id('feature', i);
      const key = `PG-${100 + i}`;
      const edge = edges.get(i);
      const status = edge !== undefined ? 'released' : random.weighted({ released: 55, in_progress: 15, planned: 12, backlog: 13, archived: 5 });
      // Newer releases ship somewhat more of the features.
      let release = status === 'released' ? released[released.length - 1 - random.skewed(released.length, 1.3)] : null;
      let releasedAt = release ? new Date(release.releasedAt!.getTime() - random.int(0, 3) * HOUR) : null;
      if (edge !== undefined) {
        releasedAt = new Date(edge);
        release = released.reduce((best, r) => (Math.abs(r.releasedAt!.getTime() - edge) < Math.abs(best.releasedAt!.getTime() - edge) ? r : best));
      }
      const team = random.pick(TEAMS);
      const createdAt = new Date((releasedAt?.getTime() ?? ctx.today) - random.int(20, 200) * DAY);
      const updatedAt = atMost(ctx, (releasedAt ?? createdAt).getTime() + random.int(0, 30) * DAY + random.int(0, 23) * HOUR);
      ctx.features.push({ id, key, status, releasedAt, team });
      const priority = random.weighted({ low: 2, medium: 5, high: 3, critical: 1 });
      let name = `${random.pick(VERBS)} ${random.pick(AREAS)}`;
      const seen = (names.get(name) ?? 0) + 1;
      names.set(name, seen);
      if (seen > 1) name += ` ${seen}`;
      const description = `${name}: lets ${team} customers work faster.`;
      const jira = random.chance(0.8);
      const fixVersion = release ? ctx.releases.indexOf(release) : -1;
      const feature: FeatureCells = { key, name, description, status, priority, team, createdAt, updatedAt, releasedAt };
      yield [ctx.tenant, id, key, name, description, status, priority, team, release?.id ?? null, releasedAt,
        ...sourceCells(ctx, jira ? jiraEpic(ctx, i, feature, fixVersion) : productboardFeature(ctx, i, feature))];
    }
  }
  return ctx.write('product.features', ['tenant_id', 'id', 'key', 'name', 'description', 'status', 'priority', 'team', 'release_id', 'released_at', ...SOURCE_COLUMNS], rows());
}

interface FeatureCells {
  key: string;
  name: string;
  description: string;
  status: string;
  priority: string;
  team: string;
  createdAt: Date;
  updatedAt: Date;
  releasedAt: Date | null;
}

/** The description as Jira's REST API v3 gives it: an Atlassian Document Format document. */
function adf(text: string) {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

function jiraEpic(ctx: SeedContext, i: number, f: FeatureCells, fixVersion: number) {
  const externalId = String(20_000 + i);
  const { key, status } = f;
  const fixVersions = fixVersion < 0 ? [] : [{
    self: `https://${ctx.tenant}.atlassian.net/rest/api/3/version/${versionExternalId(fixVersion)}`, id: versionExternalId(fixVersion),
    name: `v${versionNumber(fixVersion)}`, archived: false, released: true,
  }];
  return {
    vendor: 'jira', externalId, url: `https://${ctx.tenant}.atlassian.net/browse/${key}`, createdAt: f.createdAt, updatedAt: f.updatedAt,
    raw: {
      id: externalId, key, self: `https://${ctx.tenant}.atlassian.net/rest/api/3/issue/${externalId}`,
      fields: {
        summary: f.name, description: adf(f.description), issuetype: { name: 'Epic' }, priority: { name: PRIORITY[f.priority] }, labels: [f.team], fixVersions,
        status: { name: JIRA_STATUS[status], statusCategory: { key: status === 'released' || status === 'archived' ? 'done' : status === 'in_progress' ? 'indeterminate' : 'new' } },
        created: f.createdAt.toISOString(), updated: f.updatedAt.toISOString(), resolutiondate: f.releasedAt?.toISOString() ?? null,
      },
    },
  };
}

/**
 * A Productboard feature. Productboard has no issue key, priority or team of its own: workspaces
 * keep them in text custom fields ("Key", "Priority", "Team"), which the API serves apart from
 * the feature; `customFields` holds their values by field name, as the connector stores them.
 */
function productboardFeature(ctx: SeedContext, i: number, f: FeatureCells) {
  const externalId = ctx.id('productboard-feature', i);
  const url = `https://${ctx.tenant}.productboard.com/feature-board/features/${externalId}/detail`;
  return {
    vendor: 'productboard', externalId, url, createdAt: f.createdAt, updatedAt: f.updatedAt,
    raw: {
      id: externalId, type: 'feature', name: f.name, description: `<p>${f.description}</p>`, archived: f.status === 'archived',
      status: { name: PRODUCTBOARD_STATUS[f.status] }, createdAt: f.createdAt.toISOString(), updatedAt: f.updatedAt.toISOString(), links: { html: url },
      customFields: { Key: f.key, Priority: PRIORITY[f.priority], Team: f.team },
    },
  };
}
