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
 * byKey over a map computed for every key at once (an answer kept across requests), plus `many`: the values of a whole
 * list of keys (a page of feature columns) from one read of the map, without a promise per key.
 */
export function byKept<V>(load: () => Promise<Map<string, V>>, missing: V): DataLoader<string, V> & { many(keys: readonly string[]): Promise<V[]> } {
  return Object.assign(byKey(load, missing), {
    async many(keys: readonly string[]): Promise<V[]> {
      const found = await load();
      return keys.map((key) => found.get(key) ?? missing);
    },
  });
}

/**
 * Loaders that also depend on field arguments (a page size, a window): one DataLoader per
 * distinct arguments, so a list of parents asking the same thing is still one batch.
 */
export function perArgs<A, L extends DataLoader<any, any>>(make: (args: A) => L): (args: A) => L {
  const loaders = new Map<string, L>();
  return (args: A) => {
    const key = JSON.stringify(args ?? null);
    let loader = loaders.get(key);
    if (!loader) loaders.set(key, (loader = make(args)));
    return loader;
  };
}

/**
 * A loader of a map for whole lists of keys (thousands each, e.g. the companies of each segment): every list asked
 * in the same tick is one lookup over their union, and each gets the map, with no promise per key.
 */
export function byKeyList<V>(load: (keys: readonly string[]) => Promise<Map<string, V>>): DataLoader<readonly string[], Map<string, V>> {
  return new DataLoader<readonly string[], Map<string, V>>(async (lists) => {
    const found = await load([...new Set(lists.flat())]);
    return lists.map(() => found);
  }, { cache: false });
}
