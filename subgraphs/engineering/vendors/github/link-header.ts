/**
 * The URLs of a `Link` header by relation, as GitHub sends it:
 * `<https://api.github.com/repositories/1300192/pulls?page=2>; rel="next", <...?page=4>; rel="last"`.
 */
export function parseLinks(header: string | null): Map<string, string> {
  const links = new Map<string, string>();
  if (!header) return links;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2])?.[1];
    for (const name of rel?.trim().toLowerCase().split(/\s+/) ?? []) if (!links.has(name)) links.set(name, match[1]);
  }
  return links;
}

/** The next page's URL, or null on the last page (or when everything fit on one). */
export function nextLink(header: string | null): string | null {
  return parseLinks(header).get('next') ?? null;
}
