import { createHmac } from 'node:crypto';
import { sign as githubSign } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { hubspotV3Signer, hubSigner, stripeSigner } from '../../simulators/shared/webhook-signers.js';
import { verifyHubSignature, verifyHubSpotV3, verifyStripeSignature } from '../../sync/webhooks/signatures.js';
import { WebhookRefused, type WebhookRequest } from '../../sync/webhooks/webhook.js';

const SECRET = 'whsec_test_secret_value';
const BODY = '{"action":"opened","number":7,"note":"naïve café ✓"}';
const URL = 'https://graph.example.com/webhooks/hubspot/7c0e3e5e-1b9f-4f51-9f0e-2b3f6a1d0c11?portal=42';
const request = (headers: Record<string, string>, body = BODY, url = URL): WebhookRequest => ({ method: 'POST', url, headers, rawBody: Buffer.from(body) });
const refusal = (verify: () => void) => {
  try {
    verify();
  } catch (error) {
    if (error instanceof WebhookRefused) return `${error.status} ${error.code}`;
    throw error;
  }
  return 'accepted';
};

describe('webhook signatures, checked against the vendors\' own libraries', () => {
  const stripe = new Stripe('sk_test_unused');

  it('GitHub X-Hub-Signature-256: what @octokit/webhooks-methods signs verifies; a changed body or secret does not', async () => {
    const verify = verifyHubSignature('x-hub-signature-256');
    const signature = await githubSign(SECRET, BODY);
    expect(refusal(() => verify(request({ 'x-hub-signature-256': signature }), SECRET))).toBe('accepted');
    expect(refusal(() => verify(request({ 'x-hub-signature-256': signature }, BODY.replace('7', '8')), SECRET))).toBe('401 INVALID_SIGNATURE');
    expect(refusal(() => verify(request({ 'x-hub-signature-256': signature }), `${SECRET}x`))).toBe('401 INVALID_SIGNATURE');
    expect(refusal(() => verify(request({ 'x-hub-signature-256': signature.replace('sha256=', 'sha1=') }), SECRET))).toBe('401 INVALID_SIGNATURE');
    expect(refusal(() => verify(request({ 'x-hub-signature-256': 'sha256=zz' }), SECRET))).toBe('401 INVALID_SIGNATURE');
    expect(refusal(() => verify(request({}), SECRET))).toBe('401 INVALID_SIGNATURE');
    // The simulators sign as GitHub does.
    expect(hubSigner('x-hub-signature-256')(BODY, URL, SECRET, new Date())).toEqual({ 'x-hub-signature-256': signature });
  });

  it('Stripe-Signature: what stripe-node generates verifies within 300 s either way, not beyond; any v1 may match', () => {
    const verify = verifyStripeSignature(300);
    const now = new Date('2026-11-23T10:00:00Z');
    const t = Math.floor(now.getTime() / 1000);
    const header = stripe.webhooks.generateTestHeaderString({ payload: BODY, secret: SECRET, timestamp: t - 299 });
    expect(refusal(() => verify(request({ 'stripe-signature': header }), SECRET, now))).toBe('accepted');
    // stripe-node itself agrees with what we accepted.
    expect(stripe.webhooks.constructEvent(BODY, header, SECRET, 300, undefined, t)).toMatchObject({ action: 'opened' });
    const stale = stripe.webhooks.generateTestHeaderString({ payload: BODY, secret: SECRET, timestamp: t - 301 });
    expect(refusal(() => verify(request({ 'stripe-signature': stale }), SECRET, now))).toBe('401 STALE_TIMESTAMP');
    const future = stripe.webhooks.generateTestHeaderString({ payload: BODY, secret: SECRET, timestamp: t + 301 });
    expect(refusal(() => verify(request({ 'stripe-signature': future }), SECRET, now))).toBe('401 STALE_TIMESTAMP');
    // During a secret's rotation Stripe sends one v1 per secret.
    const rotated = `${header},v1=${'0'.repeat(64)}`;
    expect(refusal(() => verify(request({ 'stripe-signature': `t=${t - 299},v1=${'0'.repeat(64)},${header.split(',')[1]}` }), SECRET, now))).toBe('accepted');
    expect(refusal(() => verify(request({ 'stripe-signature': rotated }, `${BODY} `), SECRET, now))).toBe('401 INVALID_SIGNATURE');
    expect(refusal(() => verify(request({ 'stripe-signature': `t=${t}` }), SECRET, now))).toBe('401 INVALID_SIGNATURE');
    const simulated = stripeSigner(BODY, URL, SECRET, now)['stripe-signature'];
    expect(stripe.webhooks.constructEvent(BODY, simulated, SECRET, 300, undefined, t)).toBeTruthy();
  });

  it('HubSpot v3: base64 HMAC of method, decoded URI, body and timestamp; refused after five minutes', () => {
    const verify = verifyHubSpotV3();
    const now = new Date('2026-11-23T10:00:00Z');
    const timestamp = String(now.getTime() - 60_000);
    // HubSpot's documented recipe, written out here independently of the code under test.
    const expected = createHmac('sha256', SECRET).update(`POST${URL}${BODY}${timestamp}`, 'utf8').digest('base64');
    const headers = { 'x-hubspot-signature-v3': expected, 'x-hubspot-request-timestamp': timestamp };
    expect(refusal(() => verify(request(headers), SECRET, now))).toBe('accepted');
    // A percent-encoded URI is compared decoded.
    expect(refusal(() => verify(request(headers, BODY, URL.replace('portal=42', 'portal=%34%32')), SECRET, now))).toBe('accepted');
    expect(refusal(() => verify(request(headers, BODY, URL.replace('hubspot', 'github')), SECRET, now))).toBe('401 INVALID_SIGNATURE');
    expect(refusal(() => verify(request(headers), SECRET, new Date(now.getTime() + 5 * 60_000)))).toBe('401 STALE_TIMESTAMP');
    expect(refusal(() => verify(request({ 'x-hubspot-signature-v3': expected }), SECRET, now))).toBe('401 INVALID_SIGNATURE');
    expect(hubspotV3Signer(BODY, URL, SECRET, new Date(Number(timestamp)))).toEqual(headers);
  });
});
