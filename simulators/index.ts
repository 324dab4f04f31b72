import { portInUse } from '../core/http.js';
import type { Credentials } from '../sync/auth.js';
import type { Faults } from './shared/faults.js';
import type { World } from './shared/world.js';
import { startJiraSimulator } from './jira/index.js';
import { startProductboardSimulator } from './productboard/index.js';
import { startGitHubSimulator } from './github/index.js';
import { startSalesforceSimulator } from './salesforce/index.js';
import { startHubSpotSimulator } from './hubspot/index.js';
import { startStripeSimulator } from './stripe/index.js';
import { startAmplitudeSimulator } from './amplitude/index.js';
import { startGainsightSimulator } from './gainsight/index.js';

/** A running vendor simulator and what a connection needs to sync from it. */
export interface SimulatedVendor {
  vendor: string;
  url: string;
  credentials: Credentials;
  config: Record<string, unknown>;
  faults: Faults;
  close(): Promise<void>;
}

type Starter = (world: World, port: number) => Promise<SimulatedVendor>;

/** Every bundled simulator, in the order connections are synced (companies before what refers to them). */
const STARTERS: [vendor: string, start: Starter][] = [
  ['jira', (world, port) => startJiraSimulator(world, { port })],
  ['productboard', (world, port) => startProductboardSimulator(world, { port })],
  ['github', (world, port) => startGitHubSimulator(world, { port })],
  ['salesforce', (world, port) => startSalesforceSimulator(world, { port })],
  ['hubspot', (world, port) => startHubSpotSimulator(world, { port })],
  ['amplitude', async (world, port) => {
    const simulator = await startAmplitudeSimulator(world, { port });
    const deferred = world.takeDeferred('analytics.usage_events');
    if (deferred) simulator.addEvents(deferred);
    return simulator;
  }],
  ['stripe', (world, port) => startStripeSimulator(world, { port })],
  ['gainsight', (world, port) => startGainsightSimulator(world, { port })],
];

export const SIMULATED_VENDORS = STARTERS.map(([vendor]) => vendor);

/**
 * Starts the simulators over one world, each on `portBase + i` (0: any free port), so a restarted
 * process finds them where its connections point.
 */
export async function startSimulators(world: World, portBase = 0, vendors: readonly string[] = SIMULATED_VENDORS): Promise<SimulatedVendor[]> {
  const started: SimulatedVendor[] = [];
  try {
    for (const [i, [vendor, start]] of STARTERS.entries()) {
      if (!vendors.includes(vendor)) continue;
      const port = portBase ? portBase + i : 0;
      started.push(await start(world, port).catch((error: unknown) => {
        throw portInUse(error, port, '127.0.0.1', { what: `the ${vendor} simulator`, variable: 'SIMULATOR_PORT_BASE' });
      }));
    }
    return started;
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }
}
