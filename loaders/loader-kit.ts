import DataLoader from 'dataloader';

/** A loader of rows by id: one batched lookup, results in key order, missing ids as null. */
export function byId<T>(load: (ids: readonly string[]) => Promise<T[]>, idOf: (row: T) => string): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load(ids);
    const found = new Map(rows.map((row) => [idOf(row), row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** A loader of one value per key computed for many keys at once, e.g. a sum per feature. */
export function byKey<V>(load: (keys: readonly string[]) => Promise<Map<string, V>>, missing: V): DataLoader<string, V> {
  return new DataLoader<string, V>(async (keys) => {
    const found = await load(keys);
    return keys.map((key) => found.get(key) ?? missing);
  });
}

/**
 * Loaders that also depend on field arguments (a page size, a window): one DataLoader per
 * distinct arguments, so a list of parents asking the same thing is still one batch.
 */
export function perArgs<A, V>(make: (args: A) => DataLoader<string, V>): (args: A) => DataLoader<string, V> {
  const loaders = new Map<string, DataLoader<string, V>>();
  return (args: A) => {
    const key = JSON.stringify(args ?? null);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = make(args)));
    return loader;
  };
}
