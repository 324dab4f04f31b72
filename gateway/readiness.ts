/** Whether each subgraph answers its /healthz within a second. */
export async function checkSubgraphs(urls: Record<string, string>): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(1_000) });
        return [name, res.ok] as const;
      } catch {
        return [name, false] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}
