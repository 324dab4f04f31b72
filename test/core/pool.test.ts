import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../core/db.js';
import { until } from '../support/webhooks.js';

describe('connections kept open', () => {
  const pools: Db[] = [];
  afterAll(async () => { await Promise.all(pools.map((p) => p.destroy())); });

  const backends = async (db: Db, name: string) => Number((await sql<{ n: string }>`
    select count(*) as n from pg_stat_activity where application_name = ${name}`.execute(db)).rows[0].n);

  it('a pool opens the connections it keeps before any statement, one without keeps none open; either opens more when asked', async () => {
    const name = `kept-${randomUUID().slice(0, 8)}`;
    const observer = createDb({ url: inject('databaseUrl'), poolSize: 1 });
    const kept = createDb({ url: inject('databaseUrl'), poolSize: 6, keepOpen: 3, applicationName: name });
    const lazy = createDb({ url: inject('databaseUrl'), poolSize: 6, applicationName: `${name}-lazy` });
    pools.push(observer, kept, lazy);
    await until(async () => (await backends(observer, name)) === 3);
    // A backend is listed as soon as the server has it, a moment before its client is idle in the
    // pool: a statement asked for in between would open a connection of its own.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await backends(observer, `${name}-lazy`)).toBe(0);
    await Promise.all(Array.from({ length: 5 }, () => sql`select pg_sleep(0.05)`.execute(kept)));
    expect(await backends(observer, name)).toBe(5);
  });
});
