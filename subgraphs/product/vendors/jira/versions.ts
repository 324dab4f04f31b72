import type { Stream } from '../../../../sync/connector.js';
import { VendorError } from '../../../../sync/errors.js';
import { versionMapping } from './mapping.js';
import { apiPath, jiraSettings } from './settings.js';

/**
 * The project's versions: `GET /rest/api/3/project/{key}/versions` answers every version in one
 * unpaginated list, and versions carry no modification time, so every run reads them all; rows
 * are rewritten only when something in them changed, and reconciliation removes deleted ones.
 */
export const versions: Stream<null> = {
  name: 'versions',
  mapping: versionMapping,
  async *read(ctx) {
    const settings = jiraSettings(ctx.config);
    const list = await ctx.http.get<unknown>(apiPath(settings, `/project/${settings.projectKey}/versions`));
    if (!Array.isArray(list)) throw new VendorError(`Jira answered the versions of project ${settings.projectKey} with something other than a list`, 200);
    yield { records: list, cursor: null };
  },
};
