import os from 'node:os';
import path from 'node:path';
import { chmod, mkdtemp } from 'node:fs/promises';
import pg from 'pg';
import { startPostgres } from '../../core/postgres.js';

/**
 * An embedded Postgres in a process of its own: `tsx embedded-child.ts [own-shutdown]`. Prints the
 * server's URL once it is up, then waits to be stopped. With `own-shutdown` it has a shutdown of its
 * own, as `npm start` has: on SIGTERM it runs a statement (the server must still be up), prints
 * `still up`, stops the server and exits 0.
 */
const dir = await mkdtemp(path.join(os.tmpdir(), 'product-graph-embedded-'));
// Traversable: as root, the embedded server runs as another user.
await chmod(dir, 0o755);
const postgres = await startPostgres({ dataDir: path.join(dir, 'pg'), persistent: false });
if (process.argv[2] === 'own-shutdown') {
  process.on('SIGTERM', async () => {
    const client = new pg.Client({ connectionString: `${postgres.serverUrl}/postgres` });
    await client.connect();
    await client.query('select 1');
    await client.end();
    process.stdout.write('still up\n');
    await postgres.stop();
    process.exit(0);
  });
}
process.stdout.write(`${postgres.serverUrl}\n`);
setInterval(() => {}, 60_000);
