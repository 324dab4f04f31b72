import express, { type Express } from 'express';

/** Where a simulator posts its webhooks, and the secret it signs them with. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

/** How deliveries misbehave, as vendors' do in the field. */
export interface WebhookKnobs {
  /** Each delivery is sent this many more times, with the same delivery id (a redelivery). */
  duplicates?: number;
  /** Deliveries are held until this many wait, then sent back to back (a burst). */
  burst?: number;
  /** Held deliveries go out newest first (out of order). */
  reorder?: boolean;
}

/** Signs a body as the vendor does, at the moment of sending: the headers to add. */
export type WebhookSigner = (body: string, url: string, secret: string, now: Date) => Record<string, string>;

interface Pending { body: string; headers: Record<string, string> }

/**
 * The outgoing side of a simulated vendor: deliveries signed as the vendor signs them, posted
 * to the registered target, with knobs for duplicates, bursts and reordering. Tests and
 * people set it up over the control API (`POST /__simulator/webhooks`).
 */
export class WebhookSender {
  target: WebhookTarget | null = null;
  knobs: WebhookKnobs = {};
  readonly stats = { sent: 0, failed: 0, statuses: [] as number[] };
  private held: Pending[] = [];
  private inflight = new Set<Promise<void>>();
  private previous: Promise<void> = Promise.resolve();

  constructor(private readonly sign: WebhookSigner) {}

  configure(target: WebhookTarget | null, knobs: WebhookKnobs = {}): void {
    this.target = target;
    this.knobs = { ...knobs };
    this.held = [];
  }

  /** Queues one delivery: `headers` are the vendor's per-delivery headers (event name, delivery id). */
  emit(body: unknown, headers: Record<string, string> = {}): void {
    if (!this.target) return;
    this.held.push({ body: JSON.stringify(body), headers });
    if (this.held.length >= (this.knobs.burst ?? 1)) this.flush();
  }

  /** Sends what is held now, burst or not, one after another in the order they go out. */
  flush(): void {
    const batch = this.knobs.reorder ? [...this.held].reverse() : this.held;
    this.held = [];
    const copies = this.knobs.duplicates ?? 0;
    this.track((async () => {
      await this.previous;
      for (const delivery of batch) for (let copy = 0; copy <= copies; copy++) await this.post(delivery);
    })());
  }

  /** Resolves once every delivery sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  private track(sending: Promise<void>): void {
    this.previous = sending;
    this.inflight.add(sending);
    void sending.finally(() => this.inflight.delete(sending));
  }

  private async post(delivery: Pending): Promise<void> {
    const target = this.target;
    if (!target) return;
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'product-graph-simulator', ...delivery.headers, ...this.sign(delivery.body, target.url, target.secret, new Date()) },
        body: delivery.body,
      });
      await res.arrayBuffer();
      this.stats.sent++;
      this.stats.statuses.push(res.status);
    } catch {
      this.stats.failed++;
    }
  }
}

/** The control API of a simulator's webhooks: register a target with its knobs, flush held deliveries. */
export function webhookControlRoutes(app: Express, sender: WebhookSender): void {
  app.post('/__simulator/webhooks', express.json(), (req, res) => {
    const { url, secret, ...knobs } = (req.body ?? {}) as Partial<WebhookTarget> & WebhookKnobs;
    sender.configure(url && secret ? { url, secret } : null, knobs);
    res.json({ target: sender.target?.url ?? null, knobs: sender.knobs });
  });
  app.post('/__simulator/webhooks/flush', (_req, res) => {
    sender.flush();
    res.json({ ok: true });
  });
  app.get('/__simulator/webhooks', (_req, res) => { res.json({ target: sender.target?.url ?? null, knobs: sender.knobs, ...sender.stats }); });
}
