import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { Scope } from '../../core/auth.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { eventTimings, type EventTimings } from '../../gateway/subscriptions/timings.js';
import { SUPERGRAPH_FILE } from '../../schema/compose.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { subscribe } from '../support/subscriptions.js';

// Tenants of their own: releasing features here changes no other test's data.
const TENANT = 'subs_acme';
const OTHER = 'subs_globex';

const RELEASED = `subscription Released($after: String) {
  featureReleased(after: $after) {
    id name status
    adoption { activeUsers }
    associatedRevenue { amount currency }
    delivery { pullRequests { totalCount } }
  }
}`;

describe('featureReleased through the gateway', () => {
  let t: TestStack;
  let token: string;
  let counter = 0;

  async function addFeature(tenant: string, status: 'planned' | 'released', trx = t.db): Promise<string> {
    const id = randomUUID();
    counter++;
    await sql`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
      values (${tenant}, ${id}, ${`SUB-${counter}`}, ${`Feature ${counter}`}, ${status}, ${status === 'released' ? new Date() : null}, 'jira', ${`sub-${counter}`})`.execute(trx);
    return id;
  }
  const release = (id: string) => sql`update product.features set status = 'released', released_at = now() where id = ${id}`.execute(t.db);

  beforeAll(async () => {
    t = await startTestStack();
    token = await t.token(TENANT);
  });
  afterAll(async () => {
    await sql`delete from product.features where tenant_id in (${TENANT}, ${OTHER})`.execute(t.db);
    await t?.stop();
  });

  it('a release reaches the subscriber with fields of four subgraphs; the other tenant never sees it', async () => {
    const mine = await subscribe(t.url, token, RELEASED);
    const theirs = await subscribe(t.url, await t.token(OTHER), RELEASED);
    const id = await addFeature(TENANT, 'planned');
    await release(id);
    await mine.next(1);
    expect(mine.events[0]).toMatchObject({
      data: { featureReleased: { id, name: expect.stringMatching(/^Feature /), status: 'RELEASED', adoption: { activeUsers: 0 }, associatedRevenue: { amount: '0.00' }, delivery: { pullRequests: { totalCount: 0 } } } },
      extensions: { cursor: expect.stringMatching(/^\d+$/), eventType: 'feature_release' },
    });
    // An edit that is not a release is no event.
    await sql`update product.features set name = 'Renamed' where id = ${id}`.execute(t.db);
    const other = await addFeature(OTHER, 'released');
    await theirs.next(1);
    expect(theirs.events.map((e) => e.data?.featureReleased.id)).toEqual([other]);
    expect(mine.events).toHaveLength(1);
    await Promise.all([mine.stop(), theirs.stop()]);
  });

  it('one answer reaches many subscriptions, each under its own id, several on one socket, each with its own filter', async () => {
    const NAMES = 'subscription { featureReleased { id name } }';
    const sockets = await Promise.all(Array.from({ length: 5 }, () => subscribe(t.url, token, NAMES)));
    // Two more subscriptions on the first socket: the same selection, and one following a single feature.
    const same: unknown[] = [];
    const one: unknown[] = [];
    const target = await addFeature(TENANT, 'planned');
    sockets[0].client.subscribe({ query: NAMES }, { next: (v) => { same.push(v); }, error: () => {}, complete: () => {} });
    sockets[0].client.subscribe({ query: `subscription($id: ID) { feedbackReceived(featureId: $id) { id } }`, variables: { id: target } }, { next: (v) => { one.push(v); }, error: () => {}, complete: () => {} });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const id = await addFeature(TENANT, 'released');
    await Promise.all(sockets.map((s) => s.next(1)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const s of sockets) expect(s.events).toEqual([{ data: { featureReleased: { id, name: expect.any(String) } }, extensions: expect.objectContaining({ cursor: expect.any(String), eventType: 'feature_release' }) }]);
    expect(same).toEqual(sockets[0].events);
    expect(one).toEqual([]);
    await Promise.all(sockets.map((s) => s.stop()));
  });

  it('a burst reaches two subscriptions of one socket whole and in order, each under its id, several frames to a write', async () => {
    const socket = new WebSocket(t.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const frames: { id: string; type: string; payload?: { data?: { featureReleased: { id: string } }; extensions?: { cursor: string } } }[] = [];
    // Each chunk read from the connection: how many frames it carried.
    const framesPerRead: number[] = [];
    let pending = 0;
    socket.on('upgrade', (response) => response.socket.on('data', () => { pending = 0; framesPerRead.push(0); }));
    socket.on('message', (data) => {
      frames.push(JSON.parse(String(data)));
      framesPerRead[framesPerRead.length - 1] = ++pending;
    });
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    await vi.waitFor(() => expect(frames.map((f) => f.type)).toEqual(['connection_ack']));
    for (const id of ['first', 'second']) socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { featureReleased { id } }' } }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    const { rows } = await sql<{ id: string }>`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
      select ${TENANT}, gen_random_uuid(), 'ORDER-' || i, 'Order ' || i, 'released', now(), 'jira', 'order-' || i from generate_series(1, 30) i
      order by i returning id`.execute(t.db);
    await vi.waitFor(() => expect(frames.filter((f) => f.type === 'next')).toHaveLength(60), { timeout: 15_000, interval: 20 });
    socket.close();
    for (const id of ['first', 'second']) {
      const mine = frames.filter((f) => f.type === 'next' && f.id === id);
      // One transaction's events are published in the order they were written.
      expect(mine.map((f) => f.payload?.data?.featureReleased.id)).toEqual(rows.map((r) => r.id));
      const cursors = mine.map((f) => BigInt(f.payload!.extensions!.cursor));
      expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1])).toBe(true);
    }
    // The two subscriptions' frames of an event leave together at least.
    expect(Math.max(...framesPerRead)).toBeGreaterThanOrEqual(2);
  });

  it('publishes each event\'s stage times once its last subscription has taken it, in the order the stages happen', async () => {
    const timings: EventTimings[] = [];
    const listener = (message: unknown) => { timings.push(message as EventTimings); };
    eventTimings.subscribe(listener);
    try {
      const sockets = await Promise.all(Array.from({ length: 3 }, () => subscribe(t.url, token, 'subscription { featureReleased { id } }')));
      const before = Date.now();
      const id = await addFeature(TENANT, 'released');
      await Promise.all(sockets.map((s) => s.next(1)));
      await vi.waitFor(() => expect(timings.map((e) => e.entityId)).toContain(id));
      const mine = timings.filter((e) => e.entityId === id);
      expect(mine).toHaveLength(1);
      const { read, answered, firstFrame, lastFrame, position } = mine[0];
      expect(position).toBe(sockets[0].events[0].extensions?.cursor);
      expect(before).toBeLessThanOrEqual(read);
      expect(read).toBeLessThanOrEqual(answered);
      expect(answered).toBeLessThanOrEqual(firstFrame);
      expect(firstFrame).toBeLessThanOrEqual(lastFrame);
      await Promise.all(sockets.map((s) => s.stop()));
    } finally {
      eventTimings.unsubscribe(listener);
    }
  });

  it('an answer with errors reaches the subscriber with its errors and cursor', async () => {
    // `first` over the maximum is refused by the engineering subgraph at run time, for each event.
    const s = await subscribe(t.url, token, 'subscription { featureReleased { id delivery { pullRequests(first: 5000) { totalCount } } } }');
    const id = await addFeature(TENANT, 'released');
    await s.next(1);
    // Its path starts at the subscription's field, as the data does.
    expect(s.events[0].errors?.[0]).toMatchObject({ path: ['featureReleased', 'delivery', 'pullRequests'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(s.events[0].data?.featureReleased.id).toBe(id);
    expect(s.events[0].extensions?.cursor).toMatch(/^\d+$/);
    await s.stop();
  });

  it('a burst of one selection\'s events is answered in a few operations, each event with its own entity and errors', async () => {
    const s = await subscribe(t.url, token, 'subscription { featureReleased { id delivery { pullRequests(first: 5000) { totalCount } } } }');
    await addFeature(TENANT, 'released');
    await s.next(1);
    const alone = s.events[0];
    t.statements.length = 0;
    const { rows } = await sql<{ id: string }>`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
      select ${TENANT}, gen_random_uuid(), 'TOGETHER-' || i, 'Together ' || i, 'released', now(), 'jira', 'together-' || i from generate_series(1, 40) i
      order by i returning id`.execute(t.db);
    await s.next(1 + rows.length, 15_000);
    const burst = s.events.slice(1);
    expect(burst.map((e) => e.data?.featureReleased.id)).toEqual(rows.map((r) => r.id));
    for (const event of burst) {
      expect(event.errors).toHaveLength(1);
      // The error an event would have alone, at the path it would have alone.
      expect(event.errors![0]).toMatchObject({ path: alone.errors![0].path, extensions: { code: 'BAD_USER_INPUT' } });
      expect(event.extensions?.cursor).toMatch(/^\d+$/);
    }
    // One event alone costs the subgraphs a statement at least: the burst costs fewer than one an event.
    expect(t.statements.length).toBeGreaterThan(0);
    expect(t.statements.length).toBeLessThan(rows.length / 2);
    await s.stop();
  });

  it('a burst asks another subgraph for its fields once for all its events, not once an event', async () => {
    const s = await subscribe(t.url, token, 'subscription { featureReleased { id adoption { activeUsers } } }');
    await addFeature(TENANT, 'released');
    await s.next(1);
    t.statements.length = 0;
    const { rows } = await sql<{ id: string }>`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
      select ${TENANT}, gen_random_uuid(), 'ONCE-' || i, 'Once ' || i, 'released', now(), 'jira', 'once-' || i from generate_series(1, 12) i
      order by i returning id`.execute(t.db);
    await s.next(1 + rows.length);
    expect(s.events.slice(1).map((e) => e.data?.featureReleased)).toEqual(rows.map((r) => ({ id: r.id, adoption: { activeUsers: 0 } })));
    // The analytics subgraph's statements for the burst: those of one request, however many events.
    const analytics = t.statements.filter((statement) => statement.includes('"analytics".') || statement.includes('analytics.'));
    expect(analytics.length).toBeGreaterThan(0);
    expect(analytics.length).toBeLessThan(rows.length / 2);
    await s.stop();
  });

  it('a subscriber that reconnects with its cursor gets every event it missed, in order and once, then the live ones', async () => {
    const first = await subscribe(t.url, token, RELEASED);
    await addFeature(TENANT, 'released');
    await first.next(1);
    const cursor = first.events[0].extensions!.cursor as string;
    await first.stop();

    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await addFeature(TENANT, 'released'));
    const resumed = await subscribe(t.url, token, RELEASED, { after: cursor });
    await resumed.next(5);
    const live = await addFeature(TENANT, 'released');
    await resumed.next(6);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resumed.events.map((e) => e.data?.featureReleased.id)).toEqual([...missed, live]);
    const cursors = resumed.events.map((e) => BigInt(e.extensions!.cursor as string));
    expect(cursors.every((c, i) => i === 0 || c > cursors[i - 1])).toBe(true);
    await resumed.stop();
  });

  it('an event whose transaction commits after a later one is delivered, not skipped', async () => {
    const subscriber = await subscribe(t.url, token, RELEASED);
    let early = '';
    let releaseLock!: () => void;
    const held = new Promise<void>((resolve) => { releaseLock = resolve; });
    let inserted!: () => void;
    const insertedEarly = new Promise<void>((resolve) => { inserted = resolve; });
    const slow = t.db.transaction().execute(async (trx) => {
      early = await addFeature(TENANT, 'released', trx);
      inserted();
      await held;
    });
    await insertedEarly;
    const late = await addFeature(TENANT, 'released');
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The later event waits for the earlier transaction: its cursor must not pass an event still to come.
    expect(subscriber.events).toHaveLength(0);
    releaseLock();
    await slow;
    await subscriber.next(2);
    expect(subscriber.events.map((e) => e.data?.featureReleased.id)).toEqual([early, late]);
    await subscriber.stop();
  });

  it('a long write transaction in another database on the server does not hold events back', async () => {
    const subscriber = await subscribe(t.url, token, RELEASED);
    const other = new pg.Client({ connectionString: t.databaseUrl.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await other.connect();
    await other.query('begin');
    // It takes a transaction id, below every one this database hands out from now on.
    await other.query('select pg_current_xact_id()');
    try {
      const id = await addFeature(TENANT, 'released');
      await subscriber.next(1, 3_000);
      expect(subscriber.events[0].data?.featureReleased.id).toBe(id);
    } finally {
      await other.query('rollback');
      await other.end();
      await subscriber.stop();
    }
  });

  it('events are published in the order their transactions can no longer be preceded, whatever order they were inserted in', async () => {
    const subscriber = await subscribe(t.url, token, RELEASED);
    // The first transaction takes its id early but inserts its event last.
    let go!: () => void;
    const later = new Promise<void>((resolve) => { go = resolve; });
    let started!: () => void;
    const hasId = new Promise<void>((resolve) => { started = resolve; });
    let early = '';
    const first = t.db.transaction().execute(async (trx) => {
      await sql`select pg_current_xact_id()`.execute(trx);
      await sql`update integrations.connections set updated_at = updated_at where tenant_id = ${OTHER}`.execute(trx);
      started();
      await later;
      early = await addFeature(TENANT, 'released', trx);
    });
    await hasId;
    const second = await addFeature(TENANT, 'released');
    await new Promise((resolve) => setTimeout(resolve, 300));
    go();
    await first;
    await subscriber.next(2);
    // Both arrive, each once, though the second was inserted and committed first.
    expect(new Set(subscriber.events.map((e) => e.data?.featureReleased.id))).toEqual(new Set([early, second]));
    const cursors = subscriber.events.map((e) => BigInt(e.extensions!.cursor as string));
    expect(cursors[1] > cursors[0]).toBe(true);
    // Replaying from before both gives the same two, in the same order.
    const replay = await subscribe(t.url, token, RELEASED, { after: String(cursors[0] - 1n) });
    await replay.next(2);
    expect(replay.events.map((e) => e.data?.featureReleased.id)).toEqual(subscriber.events.map((e) => e.data?.featureReleased.id));
    await Promise.all([subscriber.stop(), replay.stop()]);
  });

  it('a second gateway process delivers to its own subscribers', async () => {
    const second: RunningGateway = await startGateway({
      supergraphSdl: await readFile(SUPERGRAPH_FILE, 'utf8'),
      subgraphUrls: Object.fromEntries([...t.stack.subgraphs].map(([name, s]) => [name, s.url])),
      port: 0, host: '127.0.0.1', db: t.db, databaseUrl: t.databaseUrl,
    });
    try {
      const here = await subscribe(t.url, token, RELEASED);
      const there = await subscribe(second.url, token, RELEASED);
      const id = await addFeature(TENANT, 'released');
      await Promise.all([here.next(1), there.next(1)]);
      expect([here.events[0].data?.featureReleased.id, there.events[0].data?.featureReleased.id]).toEqual([id, id]);
      await Promise.all([here.stop(), there.stop()]);
    } finally {
      await second.close();
    }
  });

  it('closes a subscriber that falls behind its buffer with 4100, while another keeps receiving every event', async () => {
    const small: RunningGateway = await startGateway({
      supergraphSdl: await readFile(SUPERGRAPH_FILE, 'utf8'),
      subgraphUrls: Object.fromEntries([...t.stack.subgraphs].map(([name, s]) => [name, s.url])),
      port: 0, host: '127.0.0.1', db: t.db, databaseUrl: t.databaseUrl, subscriptionBuffer: 3,
    });
    try {
      const behind = await subscribe(small.url, token, RELEASED);
      const keeping = await subscribe(t.url, token, RELEASED);
      // A burst of releases in one statement: far more events at once than three.
      const { rows } = await sql<{ id: string }>`insert into product.features (tenant_id, id, key, name, status, released_at, vendor, external_id)
        select ${TENANT}, gen_random_uuid(), 'BURST-' || i, 'Burst ' || i, 'released', now(), 'jira', 'burst-' || i from generate_series(1, 20) i
        returning id`.execute(t.db);
      expect((await behind.closed).code).toBe(4100);
      await keeping.next(20, 15_000);
      expect(new Set(keeping.events.map((e) => e.data?.featureReleased.id))).toEqual(new Set(rows.map((r) => r.id)));
      await Promise.all([behind.stop(), keeping.stop()]);
    } finally {
      await small.close();
    }
  });

  it('refuses a connection without a valid token, and a cursor that is not one', async () => {
    const refused = await subscribe(t.url, 'not-a-token', RELEASED);
    expect((await refused.closed).code).toBe(4403);
    await refused.stop();

    const bad = await subscribe(t.url, token, RELEASED, { after: 'yesterday' });
    await bad.next(1);
    expect(bad.events[0].errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await bad.stop();
  });

  it('refuses a selection of revenue without financial_data.read before any event, as queries are', async () => {
    const limited = await subscribe(t.url, await t.token(TENANT, [Scope.Read]), RELEASED);
    await limited.next(1);
    expect(limited.events[0].data ?? null).toBeNull();
    expect(limited.events[0].errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN', fields: expect.arrayContaining([expect.stringContaining('Feature.associatedRevenue')]) } });
    await addFeature(TENANT, 'released');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(limited.events).toHaveLength(1);
    await limited.stop();
  });
});
