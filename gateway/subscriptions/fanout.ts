import type { Duplex } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import { WebSocket } from 'ws';
import type { Db } from '../../core/db.js';
import type { Selection } from './answers.js';
import { readEvents, type OutboxEvent, type OutboxFeed } from './outbox-feed.js';
import { eventTimings } from './timings.js';
import { encodeFrames } from './ws-frames.js';

/** Close code when a subscriber reads slower than its events come, past its buffer. */
export const SLOW_CONSUMER_CLOSE = 4_100;
/** How long an event's answer is kept for other subscriptions with the same selection (resuming ones too). */
const SHARED_ANSWER_MS = 2_000;
/** Events of one selection answered by one operation at most (each an alias: see answerEvents). */
const ANSWERS_PER_OPERATION = 16;
/** Frames sent before the fan-out lets the event loop serve other work (webhooks, queries, subgraph answers). */
const FRAMES_PER_TURN = 256;

/** The end of every `next` frame, after the answer's JSON. */
const FRAME_TAIL = Buffer.from('}');

/** An event's answer to one selection, rendered and encoded as JSON once for every subscription sharing it. */
interface SharedAnswer {
  /** The event's place in the stream. */
  position: bigint;
  promise: Promise<Buffer>;
  /** Set when the answer is ready (its JSON, UTF-8), so the fan-out reads it without awaiting. */
  bytes: Buffer | null;
  /** Live subscriptions yet to be sent it, and when its stages happened: see timings.ts. */
  pending: number;
  event: OutboxEvent;
  read: number;
  answered: number;
  firstFrame: number;
}

/** An event waiting for its answer to a selection: rendered together with the others of the same read. */
interface QueuedRender {
  event: OutboxEvent;
  resolve: (result: ExecutionResult) => void;
  reject: (error: unknown) => void;
}

/** The frames of a turn, in the order staged, written at its end: one write per run of frames to one connection. */
class Staged {
  readonly connections: Duplex[] = [];
  readonly heads: Buffer[] = [];
  readonly bodies: Buffer[] = [];
  readonly deliveries: Delivery[] = [];

  add(delivery: Delivery, body: Buffer): void {
    this.connections.push(delivery.subscription.connection);
    this.heads.push(delivery.frameHead);
    this.bodies.push(body);
    this.deliveries.push(delivery);
  }

  clear(): void {
    this.connections.length = this.heads.length = this.bodies.length = this.deliveries.length = 0;
  }
}

/** A graphql-ws subscription as the fan-out serves it. */
export interface Subscription {
  /** The client's id of the subscription, sent back with each of its events. */
  id: string;
  socket: WebSocket;
  /** The connection under the WebSocket (the upgraded request's socket): frames of one turn are written to it at once. */
  connection: Duplex;
  selection: Selection;
  /** The only entity id it follows (its entity filter argument), or null for all. */
  only: string | null;
  /** Its `after:` cursor: the events since are replayed first. */
  after: string | null;
}

class Delivery {
  /** `next` frames are this, the answer's JSON and `}`: graphql-ws's `{"id","type":"next","payload"}`. */
  readonly frameHead: Buffer;
  readonly topic: string;
  /** Events to send, in order; each answer may still be rendering. */
  readonly queue: SharedAnswer[] = [];
  /** Frames handed to the socket and not yet written out. */
  inFlight = 0;
  /** Position of the last event sent (or skipped): the subscription's cursor. */
  last: bigint;
  replaying: boolean;
  ended = false;
  readonly done: Promise<void>;
  settle!: (error?: Error) => void;

  constructor(readonly subscription: Subscription, position: string) {
    this.frameHead = Buffer.from(`{"id":${JSON.stringify(subscription.id)},"type":"next","payload":`);
    this.topic = topic(subscription.selection.principal.tenantId, subscription.selection.event.eventType);
    this.last = BigInt(subscription.after ?? position);
    this.replaying = subscription.after !== null;
    this.done = new Promise<void>((resolve, reject) => { this.settle = (error) => (error ? reject(error) : resolve()); });
    // graphql-ws reports a failure through the iterator; one it never iterated is not unhandled.
    this.done.catch(() => {});
  }
}

/** Notes an answer taken off a subscription's queue; once the last has taken it, publishes its timings. */
function taken(answer: SharedAnswer): void {
  if (--answer.pending > 0 || !eventTimings.hasSubscribers) return;
  const { event, read, answered, firstFrame } = answer;
  eventTimings.publish({ position: event.position, entityId: event.entityId, read, answered, firstFrame, lastFrame: Date.now() });
}

function topic(tenantId: string, eventType: string): string {
  return `${tenantId}\n${eventType}`;
}

/**
 * Hands each outbox event to the subscriptions of its tenant and type. Subscriptions with the same
 * selection share one answer per event, rendered once and encoded once: each gets a frame of its
 * own id around the same JSON bytes, written straight to its connection (graphql-ws would
 * serialise the whole message once per socket). A subscription's events go out in order, as
 * their answers are ready. All the frames a connection is due in a turn leave in one write, so
 * when events come faster than they are sent, a subscriber gets several at once rather than a
 * write (a system call) each. The event loop is let go every few hundred frames, so a large
 * fan-out does not hold back requests. A subscription more than `bufferSize` events behind is
 * closed with 4100.
 */
export class Fanout {
  private readonly byTopic = new Map<string, Set<Delivery>>();
  /** Deliveries with queued events. */
  private readonly waiting = new Set<Delivery>();
  private readonly answers = new Map<string, SharedAnswer>();
  /** Events to answer, per selection key, gathered while the feed hands over what it read. */
  private readonly toRender = new Map<string, { selection: Selection; queued: QueuedRender[] }>();
  /** Frames of this turn, written at its end so that a connection's leave together. */
  private readonly staged = new Staged();
  private flushing = false;
  private again = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: {
    db: Db;
    feed: OutboxFeed;
    bufferSize: number;
    /** The answers of events to a selection, in their order. */
    render: (selection: Selection, events: readonly OutboxEvent[]) => Promise<ExecutionResult[]>;
  }) {
    this.unsubscribe = options.feed.subscribe((event) => this.publish(event));
  }

  /**
   * Starts delivering to a subscription. Returns what graphql-ws iterates: no values (the frames
   * go to the socket directly), done when the delivery ends; `return()` (the client completed the
   * subscription or left) ends it.
   */
  add(subscription: Subscription): AsyncIterableIterator<ExecutionResult> {
    const delivery = new Delivery(subscription, this.options.feed.position);
    let deliveries = this.byTopic.get(delivery.topic);
    if (!deliveries) this.byTopic.set(delivery.topic, (deliveries = new Set()));
    deliveries.add(delivery);
    if (delivery.replaying) void this.replay(delivery);
    const finished = { done: true, value: undefined } as const;
    return {
      [Symbol.asyncIterator]() { return this; },
      next: () => delivery.done.then(() => finished),
      return: async () => { this.end(delivery); return finished; },
    };
  }

  close(): void {
    this.unsubscribe();
    for (const deliveries of this.byTopic.values()) for (const delivery of deliveries) this.end(delivery);
  }

  private publish(event: OutboxEvent): void {
    const deliveries = this.byTopic.get(topic(event.tenantId, event.eventType));
    if (!deliveries) return;
    const position = BigInt(event.position);
    // Subscriptions of one selection share the event's answer: looked up once per selection.
    const answers = new Map<string, SharedAnswer>();
    for (const delivery of deliveries) {
      const { only, selection } = delivery.subscription;
      if (only !== null && event.entityId !== only) continue;
      if (delivery.queue.length + delivery.inFlight >= this.options.bufferSize) {
        this.end(delivery);
        delivery.subscription.socket.close(SLOW_CONSUMER_CLOSE, 'Slow consumer: more events waited than the buffer holds; resubscribe with "after"');
        continue;
      }
      let answer = answers.get(selection.key);
      if (!answer) answers.set(selection.key, (answer = this.answer(selection, event, position)));
      delivery.queue.push(answer);
      answer.pending++;
      if (!delivery.replaying) this.waiting.add(delivery);
    }
    this.schedule();
  }

  private answer(selection: Selection, event: OutboxEvent, position: bigint): SharedAnswer {
    const key = `${event.position}\n${selection.key}`;
    const existing = this.answers.get(key);
    if (existing) return existing;
    const answer: SharedAnswer = { position, bytes: null, promise: null!, pending: 0, event, read: Date.now(), answered: 0, firstFrame: 0 };
    answer.promise = new Promise<ExecutionResult>((resolve, reject) => this.queueRender(selection, { event, resolve, reject })).then((result) => {
      answer.bytes = Buffer.from(JSON.stringify(result));
      answer.answered = Date.now();
      setTimeout(() => this.answers.delete(key), SHARED_ANSWER_MS).unref();
      this.schedule();
      return answer.bytes;
    });
    this.answers.set(key, answer);
    return answer;
  }

  /**
   * Answers events once the feed has handed over all it read in one go (a microtask later): the
   * events of one selection are rendered together, up to ANSWERS_PER_OPERATION per operation.
   */
  private queueRender(selection: Selection, queued: QueuedRender): void {
    if (!this.toRender.size) queueMicrotask(() => this.renderQueued());
    let group = this.toRender.get(selection.key);
    if (!group) this.toRender.set(selection.key, (group = { selection, queued: [] }));
    group.queued.push(queued);
  }

  private renderQueued(): void {
    const groups = [...this.toRender.values()];
    this.toRender.clear();
    for (const { selection, queued } of groups) {
      for (let start = 0; start < queued.length; start += ANSWERS_PER_OPERATION) {
        const chunk = queued.slice(start, start + ANSWERS_PER_OPERATION);
        this.options.render(selection, chunk.map((q) => q.event)).then(
          (results) => chunk.forEach((q, i) => q.resolve(results[i])),
          (error) => chunk.forEach((q) => q.reject(error)),
        );
      }
    }
  }

  /** Events missed since the subscription's cursor, in order and once, then the live ones it queued meanwhile. */
  private async replay(delivery: Delivery): Promise<void> {
    const { selection, only } = delivery.subscription;
    try {
      for (;;) {
        const missed = await readEvents(this.options.db, { after: String(delivery.last), tenantId: selection.principal.tenantId, eventType: selection.event.eventType });
        for (const event of missed) {
          const position = BigInt(event.position);
          const bytes = only === null || event.entityId === only ? await this.answer(selection, event, position).promise : null;
          if (delivery.ended) return;
          delivery.last = position;
          if (bytes !== null) await this.sendNow(delivery, bytes);
        }
        if (!missed.length) break;
      }
      if (delivery.ended) return;
      delivery.replaying = false;
      this.waiting.add(delivery);
      this.schedule();
    } catch (error) {
      this.end(delivery, error as Error);
    }
  }

  private schedule(): void {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    try {
      do {
        this.again = false;
        let frames = 0;
        for (const delivery of this.waiting) {
          frames += this.sendReady(delivery);
          if (!delivery.queue.length) this.waiting.delete(delivery);
          if (frames >= FRAMES_PER_TURN) {
            frames = 0;
            this.writeOut();
            await new Promise(setImmediate);
          }
        }
        this.writeOut();
      } while (this.again);
    } finally {
      this.writeOut();
      this.flushing = false;
    }
  }

  /**
   * Writes the turn's frames: one Buffer, one write per connection (a delivery stages all of its
   * frames at once; several subscriptions of one socket may take a write each).
   */
  private writeOut(): void {
    const { connections, heads, bodies, deliveries } = this.staged;
    for (let start = 0, end = 0; start < connections.length; start = end) {
      const connection = connections[start];
      while (end < connections.length && connections[end] === connection) end++;
      const written = deliveries.slice(start, end);
      connection.write(encodeFrames(heads, bodies, FRAME_TAIL, start, end), () => {
        for (const delivery of written) delivery.inFlight--;
      });
    }
    this.staged.clear();
  }

  /**
   * Stages the ready answers at the head of the queue, in order, for this turn's write; those the
   * replay sent already are dropped.
   */
  private sendReady(delivery: Delivery): number {
    let frames = 0;
    const { queue } = delivery;
    while (queue.length && queue[0].bytes !== null) {
      const answer = queue.shift()!;
      taken(answer);
      if (answer.position <= delivery.last) continue;
      delivery.last = answer.position;
      if (!this.open(delivery)) return frames;
      this.staged.add(delivery, answer.bytes!);
      answer.firstFrame ||= Date.now();
      delivery.inFlight++;
      frames++;
    }
    return frames;
  }

  /** Writes one frame now (the replay sends its events one by one); resolves once it is written out. */
  private sendNow(delivery: Delivery, body: Buffer): Promise<void> {
    if (!this.open(delivery)) return Promise.resolve();
    delivery.inFlight++;
    return new Promise((resolve) => {
      delivery.subscription.connection.write(encodeFrames([delivery.frameHead], [body], FRAME_TAIL), () => {
        delivery.inFlight--;
        resolve();
      });
    });
  }

  /** Whether frames may still go to the subscription; ends it when its socket is closing or closed. */
  private open(delivery: Delivery): boolean {
    if (!delivery.ended && delivery.subscription.socket.readyState === WebSocket.OPEN) return true;
    this.end(delivery);
    return false;
  }

  private end(delivery: Delivery, error?: Error): void {
    if (delivery.ended) return;
    delivery.ended = true;
    const deliveries = this.byTopic.get(delivery.topic);
    deliveries?.delete(delivery);
    if (deliveries?.size === 0) this.byTopic.delete(delivery.topic);
    this.waiting.delete(delivery);
    for (const answer of delivery.queue) taken(answer);
    delivery.queue.length = 0;
    delivery.settle(error);
  }
}
