import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookRefused, type WebhookRequest } from './webhook.js';

export function hmacSha256(secret: string, data: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/** Compares in constant time; unequal lengths are unequal without comparing bytes. */
export function sameBytes(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const unsigned = (what: string) => new WebhookRefused(401, 'INVALID_SIGNATURE', what);

/** Hex digits to bytes, or null when the text is not an even run of hex digits. */
function fromHex(text: string): Buffer | null {
  return /^(?:[0-9a-f]{2})+$/i.test(text) ? Buffer.from(text, 'hex') : null;
}

/**
 * `<header>: sha256=<hex>` where hex = HMAC-SHA256(secret, raw body): GitHub's
 * `X-Hub-Signature-256` and Jira's `X-Hub-Signature`. No timestamp is signed, so a replay
 * verifies: deliveries are deduplicated by their id instead.
 */
export function verifyHubSignature(header: string) {
  return (request: WebhookRequest, secret: string): void => {
    const value = request.headers[header];
    if (!value) throw unsigned(`missing ${header}`);
    const [scheme, hex] = value.split('=', 2);
    const given = scheme === 'sha256' && hex ? fromHex(hex) : null;
    if (!given || !sameBytes(hmacSha256(secret, request.rawBody), given)) throw unsigned(`${header} does not match the body`);
  };
}

/**
 * Stripe's `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>]`: hex = HMAC-SHA256(secret,
 * `<t>.<raw body>`); any v1 may match (several during a secret's rotation), and `t` must be
 * within the tolerance of now, either way, so an old signed request cannot be replayed.
 */
export function verifyStripeSignature(toleranceSeconds = 300) {
  return (request: WebhookRequest, secret: string, now: Date): void => {
    const value = request.headers['stripe-signature'];
    if (!value) throw unsigned('missing Stripe-Signature');
    const parts = value.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
    const t = parts.find(([k]) => k === 't')?.[1];
    const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => fromHex(v!)).filter((b): b is Buffer => !!b);
    if (!t || !/^\d+$/.test(t) || !signatures.length) throw unsigned('Stripe-Signature lacks t= or v1=');
    const expected = hmacSha256(secret, Buffer.concat([Buffer.from(`${t}.`), request.rawBody]));
    // Every candidate is compared, so the time taken does not tell which one matched.
    const matched = signatures.map((s) => sameBytes(expected, s)).includes(true);
    if (!matched) throw unsigned('no Stripe-Signature v1 matches the body');
    if (Math.abs(now.getTime() / 1000 - Number(t)) > toleranceSeconds) throw new WebhookRefused(401, 'STALE_TIMESTAMP', `Stripe-Signature timestamp is more than ${toleranceSeconds} s from now`);
  };
}

/**
 * HubSpot's v3 request signature: `X-HubSpot-Signature-v3` = base64(HMAC-SHA256(app secret,
 * method + URI + raw body + timestamp)), `X-HubSpot-Request-Timestamp` in milliseconds; refused
 * when the timestamp is more than `maxAgeMs` old. The URI is the full URL HubSpot called, with
 * percent-encoded characters decoded as HubSpot's reference implementations do.
 */
export function verifyHubSpotV3(maxAgeMs = 5 * 60_000) {
  return (request: WebhookRequest, secret: string, now: Date): void => {
    const signature = request.headers['x-hubspot-signature-v3'];
    const timestamp = request.headers['x-hubspot-request-timestamp'];
    if (!signature || !timestamp) throw unsigned('missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp');
    if (!/^\d+$/.test(timestamp)) throw unsigned('X-HubSpot-Request-Timestamp is not a time in milliseconds');
    let uri: string;
    try {
      uri = decodeURI(request.url);
    } catch {
      uri = request.url;
    }
    const signed = Buffer.concat([Buffer.from(`${request.method.toUpperCase()}${uri}`), request.rawBody, Buffer.from(timestamp)]);
    if (!sameBytes(hmacSha256(secret, signed), Buffer.from(signature, 'base64'))) throw unsigned('X-HubSpot-Signature-v3 does not match the request');
    if (now.getTime() - Number(timestamp) > maxAgeMs) throw new WebhookRefused(401, 'STALE_TIMESTAMP', `X-HubSpot-Request-Timestamp is more than ${maxAgeMs / 60_000} minutes old`);
  };
}
