import { ConnectionConfigError } from '../../../../sync/errors.js';

/** A Jira connection's settings, read from its config with their defaults. */
export interface JiraSettings {
  /** The site's cloud id: OAuth 2.0 (3LO) calls go to `/ex/jira/{cloudId}` on api.atlassian.com. */
  cloudId: string;
  /** The site's host ('acme.atlassian.net'), for links back to Jira; null leaves links out. */
  siteHost: string | null;
  projectKey: string;
  /** The issue type that is a feature (default 'Epic'). */
  issueType: string;
  /** The querying account's IANA time zone, in which Jira reads JQL date literals; null asks Jira (`/myself`). */
  timeZone: string | null;
  pageSize: number;
  /** How far before the stored cursor an incremental search starts again (search is eventually consistent). */
  overlapMinutes: number;
}

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

export function jiraSettings(config: Record<string, unknown>): JiraSettings {
  const cloudId = typeof config.cloudId === 'string' ? config.cloudId.trim() : '';
  if (!/^[A-Za-z0-9-]+$/.test(cloudId)) throw new ConnectionConfigError('Jira connections need config.cloudId (the site\'s cloud id from /oauth/token/accessible-resources)');
  const projectKey = typeof config.projectKey === 'string' ? config.projectKey : 'PG';
  if (!PROJECT_KEY.test(projectKey)) throw new ConnectionConfigError(`config.projectKey "${projectKey}" is not a Jira project key`);
  const issueType = typeof config.issueType === 'string' && config.issueType ? config.issueType : 'Epic';
  if (/["\\]/.test(issueType)) throw new ConnectionConfigError('config.issueType may not contain quotes or backslashes');
  const timeZone = typeof config.timeZone === 'string' && config.timeZone ? config.timeZone : null;
  return {
    cloudId, projectKey, issueType, timeZone,
    siteHost: siteHost(config),
    pageSize: Math.min(100, Math.max(1, Number(config.pageSize) || 100)),
    overlapMinutes: Math.max(0, Number(config.overlapMinutes ?? 5) || 0),
  };
}

/** 'acme', 'acme.atlassian.net' or 'https://acme.atlassian.net/' -> 'acme.atlassian.net'. */
export function siteHost(config: Record<string, unknown>): string | null {
  const site = typeof config.site === 'string' ? config.site.trim().toLowerCase() : '';
  if (!site) return null;
  const host = site.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return host.includes('.') ? host : `${host}.atlassian.net`;
}

/** A REST API v3 path of the connection's site. */
export function apiPath(settings: JiraSettings, path: string): string {
  return `/ex/jira/${settings.cloudId}/rest/api/3${path}`;
}
