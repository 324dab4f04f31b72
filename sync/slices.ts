/**
 * CPU work on a sync batch (mapping, serialising thousands of records) runs in slices of this many
 * records, letting pending I/O run between them: the batch being stored meanwhile sends its next
 * statement as soon as Postgres answers the last, instead of after the whole next batch is ready.
 */
export const SLICE = 200;

/** Lets callbacks of finished I/O run before going on. */
export function letIoRun(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
