import type { Page } from './connector.js';

/**
 * Reads a stream's pages ahead, in the background, while the caller stores what was read, and
 * hands them over in batches of up to about `maxRecords` records (whole pages, the last page's
 * cursor). The vendor's latency and our commits overlap, and a slow commit simply makes the next
 * batch bigger. At most twice `maxRecords` records wait in memory. When reading fails, every
 * page read before is handed over first, then the error: what was fetched is stored.
 */
export async function* batches<C>(pages: AsyncIterable<Page<C>>, maxRecords: number): AsyncGenerator<Page<C>> {
  const iterator = pages[Symbol.asyncIterator]();
  const buffer: Page<C>[] = [];
  let buffered = 0;
  let finished = false;
  let stopped = false;
  let failure: { error: unknown } | null = null;
  let wakeConsumer: (() => void) | null = null;
  let wakeProducer: (() => void) | null = null;
  const signalConsumer = () => { wakeConsumer?.(); wakeConsumer = null; };
  const signalProducer = () => { wakeProducer?.(); wakeProducer = null; };

  void (async () => {
    try {
      while (!stopped) {
        while (buffered >= maxRecords * 2 && !stopped) await new Promise<void>((resolve) => { wakeProducer = resolve; });
        if (stopped) break;
        const next = await iterator.next();
        if (next.done) break;
        buffer.push(next.value);
        buffered += next.value.records.length;
        signalConsumer();
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      signalConsumer();
    }
  })();

  try {
    for (;;) {
      while (!buffer.length && !finished) await new Promise<void>((resolve) => { wakeConsumer = resolve; });
      if (!buffer.length) {
        if (failure) throw (failure as { error: unknown }).error;
        return;
      }
      const first = buffer.shift()!;
      const batch: Page<C> & { deleted: string[]; payloads: unknown[] } = {
        records: [...first.records], cursor: first.cursor, deleted: [...(first.deleted ?? [])], payloads: [...(first.payloads ?? [])],
      };
      while (buffer.length && batch.records.length + buffer[0].records.length <= maxRecords) {
        const page = buffer.shift()!;
        batch.records.push(...page.records);
        batch.deleted.push(...(page.deleted ?? []));
        batch.payloads.push(...(page.payloads ?? []));
        if (page.cursor !== null) batch.cursor = page.cursor;
      }
      buffered -= batch.records.length;
      signalProducer();
      yield batch;
    }
  } finally {
    // Not awaited: a read in flight ends when the run aborts its requests.
    stopped = true;
    signalProducer();
    void iterator.return?.()?.catch(() => {});
  }
}

/**
 * Applies `prepare` to each item as soon as it arrives, one item ahead of the caller: the work on
 * the next batch (mapping and serialising thousands of records) runs while the caller awaits
 * Postgres on the current one. A failure to read or prepare the next item is thrown when the
 * caller gets to it.
 */
export async function* preparedAhead<T, U>(source: AsyncIterable<T>, prepare: (item: T) => U | Promise<U>): AsyncGenerator<U> {
  const iterator = source[Symbol.asyncIterator]();
  const next = async (): Promise<{ done: true } | { done: false; value: U }> => {
    const r = await iterator.next();
    return r.done ? { done: true } : { done: false, value: await prepare(r.value) };
  };
  let upcoming = next();
  try {
    for (;;) {
      const current = await upcoming;
      if (current.done) return;
      upcoming = next();
      upcoming.catch(() => {});
      yield current.value;
    }
  } finally {
    // Not awaited, as above: a read in flight ends when the run aborts its requests.
    void iterator.return?.()?.catch(() => {});
  }
}
