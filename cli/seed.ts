import { parseArgs } from 'node:util';
import { openDatabase } from '../core/bootstrap.js';
import { TENANT_ID, TENANT_ID_RULE } from '../core/tenant-id.js';
import { DEFAULT_TENANTS, resetTenants, seedTenants, type Scale } from '../seed/index.js';

const usage = `Usage: npm run seed -- [--scale small|medium|large] [--tenants demo,globex] [--anchor YYYY-MM-DD] [--reset]
  --scale    small (seconds), medium (1M usage events), large (2,000 features, 100,000 users, 10M events, 50,000 deals)
  --tenants  comma-separated tenant ids; the first gets the full volume, the others a third (default: ${DEFAULT_TENANTS.join(',')})
  --anchor   the day the data is generated around (default: now); the same anchor gives the same rows
  --reset    delete those tenants' rows first`;

function parse() {
  const { values } = parseArgs({
    options: { scale: { type: 'string', default: 'small' }, tenants: { type: 'string' }, anchor: { type: 'string' }, reset: { type: 'boolean', default: false }, help: { type: 'boolean' } },
  });
  if (values.help) { console.log(usage); process.exit(0); }
  if (!['small', 'medium', 'large'].includes(values.scale!)) throw new Error(`--scale must be small, medium or large, not "${values.scale}"`);
  const tenants = values.tenants ? values.tenants.split(',').map((t) => t.trim()).filter(Boolean) : DEFAULT_TENANTS;
  const bad = tenants.find((t) => !TENANT_ID.test(t));
  if (bad) throw new Error(`invalid tenant id "${bad}": ${TENANT_ID_RULE}`);
  if (values.anchor && !/^\d{4}-\d{2}-\d{2}$/.test(values.anchor)) throw new Error('--anchor must be a date, YYYY-MM-DD');
  const anchor = values.anchor ? new Date(`${values.anchor}T12:00:00Z`) : undefined;
  return { scale: values.scale as Scale, tenants, anchor, reset: values.reset! };
}

let options: ReturnType<typeof parse>;
try {
  options = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}

const database = await openDatabase();
try {
  if (options.reset) await resetTenants(database.db, options.tenants);
  console.log(`Seeding ${options.tenants.join(', ')} at scale ${options.scale}…`);
  const summary = await seedTenants(database.db, {
    url: database.url,
    scale: options.scale,
    tenants: options.tenants,
    anchor: options.anchor,
    onProgress: (step, done, total) => console.log(`  ✓ ${step} (${done}/${total})`),
  });
  console.log(`\nRows written (${summary.seconds.toFixed(1)} s):`);
  for (const [step, n] of Object.entries(summary.rows)) console.log(`  ${step.padEnd(22)} ${n.toLocaleString('en-US').padStart(12)}`);
} catch (error) {
  console.error(`Seeding failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
