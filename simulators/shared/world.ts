import { createContext } from '../../seed/context.js';
import type { Cell } from '../../seed/copy.js';
import { generateVendorData } from '../../seed/index.js';
import { volumesFor, type Scale } from '../../seed/scales.js';

export type WorldRow = Record<string, any>;

/**
 * The vendor data the simulators serve: the generator's rows for one tenant, kept in memory by
 * table ('sales.deals'), each with its columns by name (`raw` is the vendor's own record shape).
 * The same tenant, scale and anchor day always give the same world, so a sync through the
 * connectors can be compared with the generator's direct load row for row.
 */
export interface World {
  tenant: string;
  /** "Now" of the data: midnight UTC of the anchor day. */
  now: Date;
  tables: Map<string, WorldRow[]>;
  rows(table: string): WorldRow[];
  /** A row of `table` by our id. */
  byId(table: string, id: string): WorldRow | undefined;
  /** The rows of a deferred table, generated as they are read; once only (null after, or if not deferred). */
  takeDeferred(table: string): Iterable<WorldRow> | null;
}

export interface WorldOptions {
  tenant: string;
  scale?: Scale;
  anchor?: Date;
  /** Tables not to generate at all. */
  skip?: string[];
  /**
   * Tables generated only when read, row by row, through `takeDeferred` (10M usage events never
   * sit in memory as objects). Each table draws from its own random stream, so reading it later
   * gives the same rows.
   */
  defer?: string[];
}

export async function buildWorld(options: WorldOptions): Promise<World> {
  const tables = new Map<string, WorldRow[]>();
  const indexes = new Map<string, Map<string, WorldRow>>();
  const skip = new Set(options.skip ?? []);
  const defer = new Set(options.defer ?? []);
  const deferred = new Map<string, Iterable<WorldRow>>();
  const ctx = createContext(options.tenant, volumesFor(options.scale ?? 'small', true), options.anchor ?? new Date(), async (table, columns, rows: Iterable<Cell[]>) => {
    // A skipped table's rows are never generated (each table draws from its own random stream).
    if (skip.has(table)) return 0;
    if (defer.has(table)) {
      deferred.set(table, (function* () {
        for (const cells of rows) {
          const row: WorldRow = {};
          for (let i = 0; i < columns.length; i++) row[columns[i]] = cells[i];
          yield row;
        }
      })());
      return 0;
    }
    const kept = tables.get(table) ?? [];
    let count = 0;
    for (const cells of rows) {
      count++;
      const row: WorldRow = {};
      for (let i = 0; i < columns.length; i++) row[columns[i]] = cells[i];
      kept.push(row);
    }
    tables.set(table, kept);
    return count;
  });
  await generateVendorData(ctx);
  return {
    tenant: options.tenant,
    now: ctx.now,
    tables,
    rows: (table) => tables.get(table) ?? [],
    takeDeferred(table) {
      const rows = deferred.get(table) ?? null;
      deferred.delete(table);
      return rows;
    },
    byId(table, id) {
      let index = indexes.get(table);
      if (!index) indexes.set(table, (index = new Map((tables.get(table) ?? []).map((r) => [r.id as string, r]))));
      return index.get(id);
    },
  };
}
