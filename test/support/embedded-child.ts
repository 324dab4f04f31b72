import path from 'node:path';
import pg from 'pg';
import { startPostgres } from '../../core/postgres.js';

/**
 * An embedded Postgres in a process of its own, its data under `dir` (which the caller made and removes):
 * `tsx embedded-child.ts dir [own-shutdown]`. Prints the server's URL once it is up, then waits to be
 * stopped. With `own-shutdown` it has a shutdown of its own, as `npm start` has: on SIGTERM it runs a
 * statement (the server must still be up), prints `still up`, stops the server and exits 0.
 */
const [dir, mode] = process.argv.slice(2);
const postgres = await startPostgres({ dataDir: path.join(dir, 'pg'), persistent: false });
if (mode === 'own-shutdown') {
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
