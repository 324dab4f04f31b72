/** The version number a release name carries: 'v1.2.0' and '1.2.0' name 1.2.0; other names ('Q3 train') have none. */
export function versionNumber(name: unknown): string | null {
  return typeof name === 'string' ? /^v?(\d+(?:\.\d+)*)$/i.exec(name.trim())?.[1] ?? null : null;
}
