import type { VendorHttp } from '../../../../sync/http-client.js';
import { VendorError } from '../../../../sync/errors.js';
import { nextLink } from './link-header.js';

export interface ListingPage {
  items: unknown[];
  /** The `rel="next"` URL, null on the last page. */
  next: string | null;
}

/**
 * One page of a GitHub listing: `url` is a path (with its query) or a `Link` URL as GitHub gave it.
 * Null when the resource is gone (404: a repository deleted or renamed away mid-sync).
 */
export async function listingPage(http: VendorHttp, url: string): Promise<ListingPage | null> {
  const response = await http.request('GET', url, { accept: [404] });
  if (response.status === 404) return null;
  const items = response.json<unknown>();
  if (!Array.isArray(items)) throw new VendorError(`GitHub answered GET ${new URL(response.url).pathname} with something other than a list`, response.status, response.text.slice(0, 2_000));
  return { items, next: nextLink(response.headers.get('link')) };
}

/** Every page of a listing, following `rel="next"`. */
export async function* listing(http: VendorHttp, url: string): AsyncGenerator<ListingPage> {
  for (let next: string | null = url; next;) {
    const page = await listingPage(http, next);
    if (!page) return;
    yield page;
    next = page.next;
  }
}

/** A path with its query, as the first page of a listing is asked for. */
export function withQuery(path: string, query: Record<string, string | number>): string {
  return `${path}?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`;
}
