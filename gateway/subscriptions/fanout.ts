import type { Duplex } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import { WebSocket } from 'ws';
import type { Db } from '../../core/db.js';
import type { Selection } from './answers.js';
import { readEvents, type OutboxEvent, type OutboxFeed } from './outbox-feed.js';

/** Close code when a subscriber reads slower than its events come, past its buffer. */
export const SLOW_CONSUMER_CLOSE = 4_100;
/** How long an event's answer is kept for other subscriptions with the same selection (resuming ones too). */
const SHARED_ANSWER_MS = 2_000;
/** Frames sent before the fan-out lets the event loop serve other work (webhooks, queries, subgraph answers). */
const FRAMES_PER_TURN = 256;

/** An event's answer to one selection, rendered and written as JSON once for every subscription sharing it. */
interface SharedAnswer {
  promise: Promise<string>;
  /** Set when the answer is ready, so the fan-out reads it without awaiting. */
  json: string | null;
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
  readonly framePrefix: string;
  readonly topic: string;
  /** Events to send, in order; each answer may still be rendering. */
  readonly queue: { position: string; answer: SharedAnswer }[] = [];
  /** Frames handed to the socket and not yet written out. */
  inFlight = 0;
  /** Position of the last event sent (or skipped): the subscription's cursor. */
  last: string;
  replaying: boolean;
  ended = false;
  readonly done: Promise<void>;
  settle!: (error?: Error) => void;

  constructor(readonly subscription: Subscription, position: string) {
    this.framePrefix = `{"id":${JSON.stringify(subscription.id)},"type":"next","payload":`;
    this.topic = topic(subscription.selection.principal.tenantId, subscription.selection.event.eventType);
    this.last = subscription.after ?? position;
    this.replaying = subscription.after !== null;
    this.done = new Promise<void>((resolve, reject) => { this.settle = (error) => (error ? reject(error) : resolve()); });
    // graphql-ws reports a failure through the iterator; one it never iterated is not unhandled.
    this.done.catch(() => {});
  }
}

function topic(tenantId: string, eventType: string): string {
  return `${tenantId}\n${eventType}`;
}

function after(position: string, last: string): boolean {
  return BigInt(position) > BigInt(last);
}

/**
 * Hands each outbox event to the subscriptions of its tenant and type. Subscriptions with the same
 * selection share one answer per event, rendered once and serialised once: each gets a frame of
 * its own id around the same JSON, written straight to its socket (graphql-ws would serialise the
 * whole message once per socket). A subscription's events go out in order, as their answers are
 * ready; the event loop is let go every few hundred frames, so a large fan-out does not hold back
 * requests. A subscription more than `bufferSize` events behind is closed with 4100.
 */
export class Fanout {
  private readonly byTopic = new Map<string, Set<Delivery>>();
  /** Deliveries with queued events. */
  private readonly waiting = new Set<Delivery>();
  private readonly answers = new Map<string, SharedAnswer>();
  /** Connections written to in this turn, held until its end so that their frames leave together. */
  private readonly corked = new Set<Duplex>();
  private flushing = false;
  private again = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: {
    db: Db;
    feed: OutboxFeed;
    bufferSize: number;
    render: (selection: Selection, event: OutboxEvent) => Promise<ExecutionResult>;
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
    for (const delivery of deliveries) {
      const { only, selection } = delivery.subscription;
      if (only !== null && event.entityId !== only) continue;
      if (delivery.queue.length + delivery.inFlight >= this.options.bufferSize) {
        this.end(delivery);
        delivery.subscription.socket.close(SLOW_CONSUMER_CLOSE, 'Slow consumer: more events waited than the buffer holds; resubscribe with "after"');
        continue;
      }
      delivery.queue.push({ position: event.position, answer: this.answer(selection, event) });
      if (!delivery.replaying) this.waiting.add(delivery);
    }
    this.schedule();
  }

  private answer(selection: Selection, event: OutboxEvent): SharedAnswer {
    const key = `${event.position}\n${selection.key}`;
    const existing = this.answers.get(key);
    if (existing) return existing;
    const answer: SharedAnswer = { json: null, promise: null! };
    answer.promise = this.options.render(selection, event).then((result) => {
      answer.json = JSON.stringify(result);
      setTimeout(() => this.answers.delete(key), SHARED_ANSWER_MS).unref();
      this.schedule();
      return answer.json;
    });
    this.answers.set(key, answer);
    return answer;
  }

  /** Events missed since the subscription's cursor, in order and once, then the live ones it queued meanwhile. */
  private async replay(delivery: Delivery): Promise<void> {
    const { selection, only } = delivery.subscription;
    try {
      for (;;) {
        const missed = await readEvents(this.options.db, { after: delivery.last, tenantId: selection.principal.tenantId, eventType: selection.event.eventType });
        for (const event of missed) {
          const json = only === null || event.entityId === only ? await this.answer(selection, event).promise : null;
          if (delivery.ended) return;
          delivery.last = event.position;
          if (json !== null) await new Promise<void>((resolve) => this.send(delivery, json, resolve));
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
            this.uncork();
            await new Promise(setImmediate);
          }
        }
        this.uncork();
      } while (this.again);
    } finally {
      this.uncork();
      this.flushing = false;
    }
  }

  private uncork(): void {
    for (const connection of this.corked) connection.uncork();
    this.corked.clear();
  }

  /**
   * Sends the ready answers at the head of the queue, in order; those the replay sent already are
   * dropped. Frames to one connection in a turn go out in one write (when events come faster than
   * they are sent, a subscriber gets several at once rather than a write each).
   */
  private sendReady(delivery: Delivery): number {
    let frames = 0;
    while (delivery.queue.length && delivery.queue[0].answer.json !== null) {
      const { position, answer } = delivery.queue.shift()!;
      if (!after(position, delivery.last)) continue;
      delivery.last = position;
      const { connection } = delivery.subscription;
      if (!this.corked.has(connection)) {
        connection.cork();
        this.corked.add(connection);
      }
      this.send(delivery, answer.json!);
      frames++;
    }
    return frames;
  }

  private send(delivery: Delivery, json: string, written?: () => void): void {
    const { socket } = delivery.subscription;
    if (delivery.ended || socket.readyState !== WebSocket.OPEN) {
      this.end(delivery);
      written?.();
      return;
    }
    delivery.inFlight++;
    socket.send(delivery.framePrefix + json + '}', () => {
      delivery.inFlight--;
      written?.();
    });
  }

  private end(delivery: Delivery, error?: Error): void {
    if (delivery.ended) return;
    delivery.ended = true;
    const deliveries = this.byTopic.get(delivery.topic);
    deliveries?.delete(delivery);
    if (deliveries?.size === 0) this.byTopic.delete(delivery.topic);
    this.waiting.delete(delivery);
    delivery.queue.length = 0;
    delivery.settle(error);
  }
}
