import type { Request, Response } from 'express';

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/**
 * One page of `items` by `per_page` (default 30, at most 100) and `page` (from 1), with GitHub's
 * `Link` header: `<url>; rel="prev", <url>; rel="next", <url>; rel="last", <url>; rel="first"`,
 * each present only where it applies, and none when everything fits on one page. Like GitHub,
 * the links may name the resource by a canonical path (`/repositories/{id}/pulls`), keeping the
 * request's query with `page` set.
 */
export function paginate<T>(req: Request, res: Response, items: T[], canonicalPath: string): T[] {
  const requested = Number(req.query.per_page);
  const perPage = Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_PER_PAGE) : DEFAULT_PER_PAGE;
  const asked = Number(req.query.page);
  const page = Number.isInteger(asked) && asked > 0 ? asked : 1;
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(`${req.protocol}://${req.get('host')}${canonicalPath}`);
    for (const [key, value] of Object.entries(req.query)) if (typeof value === 'string' && key !== 'page') url.searchParams.set(key, value);
    url.searchParams.set('page', String(n));
    return `<${url}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  if (links.length) res.set('link', links.join(', '));
  return items.slice((page - 1) * perPage, page * perPage);
}
