import type { Cell } from './copy.js';
import { DAY, HOUR, type SeedContext, type SeedFeature } from './context.js';
import type { Random } from './random.js';

/** Raw usage events cover the last 180 days. */
export const EVENT_DAYS = 180;
/** A session: `session_start`, then actions seconds to minutes apart (about 5.5 events on average, at most 25). */
const MAX_SESSION_EVENTS = 25;
const LATEST_SESSION_START = DAY - 2 * HOUR;
/** Packs an in-day offset (ms, < 2^27) and an event's slot (< 2^21) into one exact float: sorting sorts by time. */
const SLOT = 2 ** 21;
const SESSION_START = 0;
const FEATURE_USED = 1;
const PAGE_VIEWED = 2;
const EVENT_TYPES = ['session_start', 'feature_used', 'page_viewed'];
/** How steeply feature popularity falls with rank: weight = 1 / rank^ZIPF. */
const ZIPF = 1.3;

/**
 * Usage events over the last 180 days, streamed day by day in time order (one day in memory at a
 * time). Users come in sessions: a start, then actions mostly on one feature, one of the user's
 * own four or anyone's. Heavy-tailed: a few power users, a few features used by most, one user in
 * ten inactive; events name a released feature only after its release; every tenth feature is never used.
 */
export async function seedUsageEvents(ctx: SeedContext): Promise<number> {
  const from = ctx.today - EVENT_DAYS * DAY;
  const random = ctx.random('usage-events');
  const popular = popularity(ctx, random);
  const users = ctx.endUsers;
  const activeUsers = Math.max(1, Math.round(users.length * 0.9));
  const perDay = eventsPerDay(from, ctx.volumes.usageEvents);

  function* events(): Generator<Cell[]> {
    let n = 0;
    for (let d = 0; d < EVENT_DAYS; d++) {
      const dayStart = from + d * DAY;
      const day = generateDay(random, perDay[d], activeUsers, featurePicker(random, popular, dayStart));
      for (let i = 0; i < day.count; i++, n++) {
        const k = day.keys[i] % SLOT;
        const feature = day.feature[k] >= 0 ? popular.features[day.feature[k]] : null;
        yield [ctx.tenant, new Date(dayStart + (day.keys[i] - k) / SLOT), `evt-${n}`, users[day.user[k]].id, feature?.id ?? null,
          EVENT_TYPES[day.kind[k]], 'amplitude', ctx.now, null];
      }
    }
  }
  return ctx.write('analytics.usage_events', ['tenant_id', 'occurred_at', 'insert_id', 'end_user_id', 'feature_id', 'event_type', 'vendor', 'synced_at', 'raw'],
    events(), ctx.volumes.usageEvents);
}

/** How many events each day gets: weekends quieter, usage growing over the period; exactly `total` in all. */
function eventsPerDay(from: number, total: number): number[] {
  const weights = Array.from({ length: EVENT_DAYS }, (_, d) => {
    const weekday = new Date(from + d * DAY).getUTCDay();
    return (weekday === 0 || weekday === 6 ? 0.45 : 1) * (0.75 + (0.4 * d) / EVENT_DAYS);
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  let placed = 0;
  return weights.map((w) => {
    cumulative += w;
    const upTo = Math.round((cumulative / sum) * total);
    const count = upTo - placed;
    placed = upTo;
    return count;
  });
}

interface Popularity { features: SeedFeature[]; weights: number[] }

/** Usable features by popularity rank: random, leaning to the newer ones (launches draw users). */
function popularity(ctx: SeedContext, random: Random): Popularity {
  const features = ctx.features
    .filter((f, i) => f.releasedAt && f.releasedAt.getTime() < ctx.today && i % 10 !== 9)
    .map((f) => ({ f, key: random.next() * (1 + (ctx.today - f.releasedAt!.getTime()) / (120 * DAY)) }))
    .sort((a, b) => a.key - b.key)
    .map(({ f }) => f);
  return { features, weights: features.map((_, rank) => 1 / Math.pow(rank + 1, ZIPF)) };
}

/**
 * Picks a feature (its index in `popular`) for a user among those released by `dayStart`: four
 * picks in ten are anyone's, the rest one of the user's own four (a golden-ratio hash of user and
 * slot), both by popularity. Null when nothing is released yet.
 */
function featurePicker(random: Random, popular: Popularity, dayStart: number): ((user: number) => number) | null {
  const available: number[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [i, f] of popular.features.entries()) {
    if (f.releasedAt!.getTime() > dayStart) continue;
    available.push(i);
    cumulative.push((total += popular.weights[i]));
  }
  if (!available.length) return null;
  const at = (r: number) => {
    const target = r * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return available[lo];
  };
  return (user) => at(random.chance(0.4) ? random.next() : (user * 0.6180339887498949 + random.int(0, 3) * 0.7548776662466927) % 1);
}

interface Day { count: number; keys: Float64Array; user: Int32Array; feature: Int32Array; kind: Uint8Array }

/** One day's events as sessions, their keys sorted by time (slot k's data is at index k of the other arrays). */
function generateDay(random: Random, count: number, activeUsers: number, pick: ((user: number) => number) | null): Day {
  if (count >= SLOT) throw new Error(`too many usage events in one day (${count})`);
  const day: Day = { count, keys: new Float64Array(count), user: new Int32Array(count), feature: new Int32Array(count).fill(-1), kind: new Uint8Array(count) };
  for (let k = 0; k < count;) {
    const u = random.skewed(activeUsers, 1.8);
    const focus = pick ? pick(u) : -1;
    const length = Math.min(count - k, MAX_SESSION_EVENTS, 1 + Math.floor(-Math.log(1 - random.next()) * 4.5));
    let t = Math.floor(random.next() * LATEST_SESSION_START);
    for (let j = 0; j < length; j++, k++) {
      day.keys[k] = t * SLOT + k;
      day.user[k] = u;
      if (j === 0) day.kind[k] = SESSION_START;
      else {
        const r = random.next();
        day.feature[k] = focus < 0 || r >= 0.9 ? -1 : r < 0.7 ? focus : pick!(u);
        day.kind[k] = day.feature[k] < 0 ? PAGE_VIEWED : FEATURE_USED;
      }
      t += random.int(5, 240) * 1000;
    }
  }
  day.keys.sort();
  return day;
}
