import { sql, type RawBuilder } from 'kysely';

/**
 * `column = any($1::uuid[])`: one parameter however many ids a loader batches (thousands of
 * features at once), where `in (...)` would send one parameter per id.
 */
export function anyId(column: string, ids: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} = any(${[...ids]}::uuid[])`;
}

/** Counts come back from pg as bigint strings: small enough here for a JS number. */
export function count(value: string | number | bigint | null | undefined): number {
  return Number(value ?? 0);
}
