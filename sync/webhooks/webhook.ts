import type { Logger } from '../../core/logger.js';
import type { VendorHttp } from '../http-client.js';

/** A webhook request as it arrived: the raw body is what vendors sign, byte for byte. */
export interface WebhookRequest {
  method: string;
  /** The full URL the vendor posted to, as the vendor sees it (HubSpot signs it). */
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

/** Why a request is refused: the HTTP status and an error code the sender's logs can show. */
export class WebhookRefused extends Error {
  constructor(readonly status: 401 | 400 | 404 | 413, readonly code: string, message: string) {
    super(message);
  }
}

/** One vendor event in a verified request, keyed by the vendor's delivery or event id. */
export interface WebhookDelivery {
  /** What a redelivery of the same event keeps: the dedupe key. */
  id: string;
  /** The vendor's event name, e.g. `pull_request`, `jira:issue_updated`, `customer.subscription.updated`. */
  type: string;
  payload: unknown;
}

/** What one delivery changes in one stream: new versions of records, and vendor ids that are gone. */
export interface WebhookChange {
  stream: string;
  records: unknown[];
  deleted?: string[];
}

export interface WebhookContext {
  /** The connection's API client, to fetch what an event only names or what we never saw. */
  http: () => VendorHttp;
  config: Record<string, unknown>;
  /** Which of these vendor ids the stream has stored: what an event refers to but we never saw is fetched. */
  stored: (stream: string, externalIds: string[]) => Promise<Set<string>>;
  log: Logger;
}

/**
 * How a vendor pushes changes: its signature scheme, how a request splits into deliveries, and
 * what each delivery changes, expressed as records of the connector's own streams so they land
 * through the same mappings as a sync (and the newest vendor version wins whatever the order).
 */
export interface WebhookSpec {
  /** Throws WebhookRefused (401) unless the request carries the vendor's valid signature. */
  verify(request: WebhookRequest, secret: string, now: Date): void;
  /** The deliveries of a verified, parsed body (HubSpot batches many; most vendors send one). */
  deliveries(body: unknown, request: WebhookRequest): WebhookDelivery[];
  /** Event types this connector acts on; the others are acknowledged, counted and ignored. */
  handles(type: string): boolean;
  /** The changes a delivery makes, fetching from the vendor what the payload does not carry. */
  changes(delivery: WebhookDelivery, ctx: WebhookContext): Promise<WebhookChange[]>;
}

/** The credential field holding a connection's webhook signing secret. */
export const WEBHOOK_SECRET = 'webhookSecret';
