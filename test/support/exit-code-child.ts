import { loadEmbeddedPostgres } from '../../core/postgres.js';

/** Loads the embedded Postgres module, then ends with `process.exitCode` set to argv[2] and nothing left to run, as a failed test run does. */
await loadEmbeddedPostgres();
process.exitCode = Number(process.argv[2]);
