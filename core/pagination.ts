import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { ArgsType, Field, Int, ObjectType, Directive } from 'type-graphql';
import { badUserInput } from './errors.js';
import { config } from './config.js';
import { maxPageSize, type BulkConnection } from './page-sizes.js';
import type { Db } from './db.js';

@ObjectType({ description: 'Relay page information.' })
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean, { description: 'Always false: pages are walked forward with `after`.' }) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size: 1 to the server maximum (MAX_PAGE_SIZE, 100 by default).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The `endCursor` of the previous page.' })
  after?: string | null;

  /** The largest `first` this connection accepts (not an argument: set by its resolver); MAX_PAGE_SIZE when absent. */
  maximum?: number;
}

/** The arguments of a connection BI tools walk whole (core/page-sizes.ts): larger pages. */
@ArgsType()
export class BulkPageArgs extends PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size: 1 to the server bulk maximum (MAX_BULK_PAGE_SIZE, 1,000 by default).' })
  override first?: number | null = undefined;
}

/** `args` with the maximum page size of the bulk connection it was given to. */
export function bulkPage<T extends PageArgs>(connection: BulkConnection, args: T): T {
  return { ...args, maximum: maxPageSize(connection) };
}

/**
 * A keyset ordering: SQL expressions whose values, in this order, are unique per row
 * (the last is always the primary key). `name` is written into cursors so a cursor of
 * one ordering is refused by another.
 */
export interface Ordering {
  name: string;
  keys: string[];
  direction: 'asc' | 'desc';
  /**
   * The node's field holding each key exactly as `(key)::text` reads it (a text or uuid column the node selects):
   * a page then reads its cursors from the nodes instead of selecting every key again as text with every row.
   */
  nodeKeys?: string[];
}

export interface Edge<T> { cursor: string; node: T }
export interface Page<T> { edges: Edge<T>[]; pageInfo: PageInfo; totalCount: () => Promise<number> }

export function pageSize(first: number | null | undefined, maximum = config().MAX_PAGE_SIZE): number {
  if (first == null) return config().DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > maximum) {
    throw badUserInput(`\`first\` must be between 1 and ${maximum} for this list; page through larger results with \`after\`.`, { argument: 'first', maximum });
  }
  return first;
}

export function encodeCursor(ordering: Ordering, values: string[]): string {
  return Buffer.from(JSON.stringify([ordering.name, ...values])).toString('base64url');
}

export function decodeCursor(ordering: Ordering, cursor: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === ordering.keys.length + 1 &&
    parsed[0] === ordering.name &&
    parsed.slice(1).every((v) => typeof v === 'string' || v === null);
  if (!valid) {
    throw badUserInput('`after` is not a cursor of this list and ordering: pass `pageInfo.endCursor` from the previous page of the same query.', { argument: 'after' });
  }
  return (parsed as string[]).slice(1);
}

const keyAlias = (i: number) => `__k${i}`;

function keysetCondition(ordering: Ordering, values: string[], qualify = (k: string) => k): RawBuilder<boolean> {
  const columns = sql.join(ordering.keys.map((k) => sql.raw(qualify(k))));
  const params = sql.join(values.map((v) => sql`${v}`));
  return sql<boolean>`(${columns}) ${sql.raw(ordering.direction === 'asc' ? '>' : '<')} (${params})`;
}

function orderClause(ordering: Ordering, qualify = (k: string) => k): RawBuilder<unknown> {
  return sql.raw(ordering.keys.map((k) => `${qualify(k)} ${ordering.direction}`).join(', '));
}

/** An edge whose cursor is encoded only when read: a page of 10,000 rows asked for its endCursor encodes one. */
class KeysetEdge<T> implements Edge<T> {
  constructor(private readonly ordering: Ordering, private readonly values: string[], readonly node: T) {}

  get cursor(): string {
    return encodeCursor(this.ordering, this.values);
  }
}

/** The cursor values of a row selected with its keys as text (keyAlias), taken out of the row. */
function selectedKeys(ordering: Ordering) {
  return (row: Record<string, unknown>): string[] => {
    const values = ordering.keys.map((_, i) => row[keyAlias(i)] as string);
    for (let i = 0; i < ordering.keys.length; i++) delete row[keyAlias(i)];
    return values;
  };
}

/** The cursor values of a row read from the node's own fields (Ordering.nodeKeys). */
const nodeKeysOf = (fields: readonly string[]) => (row: Record<string, unknown>): string[] => fields.map((field) => row[field] as string);

function toPage<T>(
  rows: Record<string, unknown>[], ordering: Ordering, size: number, totalCount: () => Promise<number>,
  keysOf: (row: Record<string, unknown>) => string[] = selectedKeys(ordering),
): Page<T> {
  const more = rows.length > size;
  const edges = rows.slice(0, size).map((row) => new KeysetEdge(ordering, keysOf(row), row as T));
  return {
    edges,
    pageInfo: { hasNextPage: more, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/** Postgres's own "invalid text representation" errors for cursor values of the wrong type. */
const CURSOR_VALUE_ERRORS = new Set(['22P02', '22007', '22008', '22003']);

async function guardCursor<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (CURSOR_VALUE_ERRORS.has((error as { code?: string }).code ?? '')) {
      throw badUserInput('`after` holds values this list cannot compare: pass `pageInfo.endCursor` from the previous page.', { argument: 'after' });
    }
    throw error;
  }
}

/**
 * One page of `base` in keyset order. `base` selects the node's columns and applies the
 * filters; this adds the cursor keys, the `after` condition, the order and the limit.
 * totalCount runs only when a client asks for it.
 */
export async function keysetPage<T>(
  db: Db,
  base: SelectQueryBuilder<any, any, any>,
  ordering: Ordering,
  args: PageArgs,
): Promise<Page<T>> {
  const size = pageSize(args.first, args.maximum);
  let query = ordering.nodeKeys ? base : base.select(ordering.keys.map((k, i) => sql<string>`(${sql.raw(k)})::text`.as(keyAlias(i))));
  if (args.after) query = query.where(keysetCondition(ordering, decodeCursor(ordering, args.after)));
  query = query.orderBy(orderClause(ordering)).limit(size + 1);
  const rows = await guardCursor(() => query.execute());
  let total: Promise<number> | undefined;
  const totalCount = () =>
    (total ??= db
      .selectFrom(base.as('counted'))
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n)));
  return toPage<T>(rows as Record<string, unknown>[], ordering, size, totalCount, ordering.nodeKeys ? nodeKeysOf(ordering.nodeKeys) : undefined);
}

/**
 * Pages of children for many parents in one statement: `base` selects the children of
 * all `parentIds` (it must select `parentKey`). Each parent gets its own page and count.
 */
export async function keysetPagesByParent<T>(
  db: Db,
  base: SelectQueryBuilder<any, any, any>,
  parentKey: string,
  parentIds: readonly string[],
  ordering: Ordering,
  args: PageArgs,
): Promise<Map<string, Page<T>>> {
  const size = pageSize(args.first, args.maximum);
  const sortAlias = (i: number) => `__o${i}`;
  const inner = base.select([
    ...ordering.keys.map((k, i) => sql`(${sql.raw(k)})`.as(sortAlias(i))),
    ...ordering.keys.map((k, i) => sql<string>`(${sql.raw(k)})::text`.as(keyAlias(i))),
    sql<string>`(${sql.raw(parentKey)})::text`.as('__parent'),
  ]);
  const sortKeys: Ordering = { ...ordering, keys: ordering.keys.map((_, i) => sortAlias(i)) };
  const after = args.after ? decodeCursor(ordering, args.after) : undefined;
  const windowed = sql`
    select *, row_number() over (partition by __parent order by ${orderClause(sortKeys)}) as __rn
    from (select *, count(*) over (partition by __parent) as __total from (${inner}) as children) as counted
    ${after ? sql`where ${keysetCondition(sortKeys, after)}` : sql``}`;
  const result = await guardCursor(() =>
    sql<Record<string, unknown>>`select * from (${windowed}) as paged where __rn <= ${size + 1} order by __parent, __rn`.execute(db),
  );
  const byParent = new Map<string, Record<string, unknown>[]>();
  for (const row of result.rows) {
    const parent = row.__parent as string;
    for (let i = 0; i < ordering.keys.length; i++) delete row[sortAlias(i)];
    if (!byParent.has(parent)) byParent.set(parent, []);
    byParent.get(parent)!.push(row);
  }
  const pages = new Map<string, Page<T>>();
  for (const id of parentIds) {
    const rows = byParent.get(id) ?? [];
    const total = rows.length ? Number(rows[0].__total) : 0;
    for (const row of rows) { delete row.__parent; delete row.__rn; delete row.__total; }
    pages.set(id, toPage<T>(rows, ordering, size, async () => total));
  }
  return pages;
}
