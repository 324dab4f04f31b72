import { createHmac } from 'node:crypto';
import type { WebhookSigner } from './webhooks.js';

const hmac = (secret: string, data: string) => createHmac('sha256', secret).update(data);

/** GitHub (`X-Hub-Signature-256`) and Jira (`X-Hub-Signature`): `sha256=` + hex HMAC-SHA256 of the body. */
export const hubSigner = (header: string): WebhookSigner => (body, _url, secret) => ({ [header]: `sha256=${hmac(secret, body).digest('hex')}` });

/** Stripe: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const stripeSigner: WebhookSigner = (body, _url, secret, now) => {
  const t = Math.floor(now.getTime() / 1000);
  return { 'stripe-signature': `t=${t},v1=${hmac(secret, `${t}.${body}`).digest('hex')}` };
};

/** HubSpot v3: base64 HMAC-SHA256 of method + URL + body + timestamp (ms), with the timestamp header. */
export const hubspotV3Signer: WebhookSigner = (body, url, secret, now) => {
  const timestamp = String(now.getTime());
  return {
    'x-hubspot-signature-v3': hmac(secret, `POST${url}${body}${timestamp}`).digest('base64'),
    'x-hubspot-request-timestamp': timestamp,
  };
};
