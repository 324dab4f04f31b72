import { sql } from 'kysely';

/**
 * Selected in a transaction whose work is done again when it is lost (a sync batch, read again
 * from its cursor; a webhook's processing, whose job's completion commits after it): its commit
 * does not wait for the WAL flush. Should Postgres crash first, the work is simply redone. Its
 * events reach no subscriber before the outbox publication, whose commit does wait, and takes
 * everything written before it to disk.
 */
export const commitWithoutDiskWait = sql`set_config('synchronous_commit', 'off', true)`;
