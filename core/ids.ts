import { badUserInput } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else is the caller's mistake, said before any SQL runs. */
export function assertId(value: string, argument = 'id'): string {
  if (!UUID.test(value)) throw badUserInput(`\`${argument}\` must be an id as returned by the graph (a UUID); got "${value.slice(0, 64)}".`, { argument });
  return value.toLowerCase();
}
