import type { ReadContext } from '../../../../sync/connector.js';

interface Listing<T> { data?: T[]; links?: { next?: string | null } }

/** The pages of a listing, following `links.next` until it is absent. */
export async function* listPages<T>(ctx: ReadContext<unknown>, path: string): AsyncIterable<T[]> {
  for (let next: string | null | undefined = path; next;) {
    const page: Listing<T> = await ctx.http.get<Listing<T>>(next);
    yield page.data ?? [];
    next = page.links?.next;
  }
}

/** Every item of a listing. */
export async function listAll<T>(ctx: ReadContext<unknown>, path: string): Promise<T[]> {
  const items: T[] = [];
  for await (const page of listPages<T>(ctx, path)) items.push(...page);
  return items;
}
