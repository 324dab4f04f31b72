import { parseArgs } from 'node:util';
import { SCALE_NAMES, type Scale } from '../seed/scales.js';
import { SIMULATED_VENDORS, startSimulators } from '../simulators/index.js';
import { buildWorld } from '../simulators/shared/world.js';

/**
 * `npm run simulators -- [--vendors stripe,hubspot] [--scale small] [--tenant demo] [--anchor YYYY-MM-DD] [--port-base 4100]`:
 * the bundled vendor simulators on their own, serving one tenant's generated world. Prints one
 * JSON line per vendor: its URL and the credentials and config a connection to it needs.
 */
const { values } = parseArgs({
  options: {
    vendors: { type: 'string' }, scale: { type: 'string', default: 'small' }, tenant: { type: 'string', default: 'demo' },
    anchor: { type: 'string' }, 'port-base': { type: 'string', default: '0' }, 'skip-events': { type: 'boolean', default: false },
  },
});
const scale = values.scale as Scale;
if (!SCALE_NAMES.includes(scale)) throw new Error(`--scale must be ${SCALE_NAMES.join(', ')}`);
const vendors = values.vendors ? values.vendors.split(',') : SIMULATED_VENDORS;
const unknown = vendors.filter((v) => !SIMULATED_VENDORS.includes(v));
if (unknown.length) throw new Error(`no simulator for ${unknown.join(', ')}; there are: ${SIMULATED_VENDORS.join(', ')}`);

const world = await buildWorld({
  tenant: values.tenant!, scale, anchor: values.anchor ? new Date(`${values.anchor}T00:00:00Z`) : undefined,
  // Events are generated straight into the Amplitude simulator's compact store, never held as rows.
  skip: values['skip-events'] ? ['analytics.usage_events'] : [],
  defer: values['skip-events'] ? [] : ['analytics.usage_events'],
});
const running = await startSimulators(world, Number(values['port-base']), vendors);
for (const s of running) console.log(JSON.stringify({ vendor: s.vendor, url: s.url, credentials: s.credentials, config: s.config }));
const stop = async () => { await Promise.all(running.map((s) => s.close())); process.exit(0); };
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
