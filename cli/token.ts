import { parseArgs } from 'node:util';
import { ALL_SCOPES, Scope, signToken } from '../core/auth.js';
import { config } from '../core/config.js';

const usage = `Usage: npm run token -- [--tenant <id>] [--scopes a,b] [--expires 12h]
  --tenant   tenant id (default: the demo tenant)
  --scopes   comma- or space-separated scopes (default: ${Scope.Read}); all: ${ALL_SCOPES.join(',')}
  --expires  lifetime such as 30m, 12h, 7d (default: 12h)
Prints the token on its last line.`;

try {
  const { values } = parseArgs({
    options: { tenant: { type: 'string' }, scopes: { type: 'string' }, expires: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(usage);
  } else {
    const scopes = (values.scopes ?? Scope.Read).split(/[\s,]+/).filter(Boolean);
    const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s as (typeof ALL_SCOPES)[number]));
    if (unknown.length) throw new Error(`unknown scope(s): ${unknown.join(', ')}`);
    console.log(await signToken({ tenantId: values.tenant ?? config().DEMO_TENANT, scopes, expiresIn: values.expires ?? '12h' }));
  }
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
