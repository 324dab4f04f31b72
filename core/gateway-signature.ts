import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Subgraphs answer only the gateway. The gateway signs each subgraph request with a shared
 * secret: HMAC-SHA256 over a timestamp, the caller it speaks for (tenant, scopes, request id)
 * and the SHA-256 of the exact body. A subgraph reached directly, a forged tenant header, an
 * altered body or a replay older than a minute are all refused.
 */
export const SIGNATURE_HEADER = 'x-gateway-signature';
export const MAX_SKEW_SECONDS = 60;

export interface SignedFields {
  tenantId: string;
  scopes: string;
  requestId: string;
}

function mac(secret: string, timestamp: number, fields: SignedFields, body: string | Buffer): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret)
    .update(`${timestamp}\n${fields.tenantId}\n${fields.scopes}\n${fields.requestId}\n${bodyHash}`)
    .digest('hex');
}

export function signRequest(secret: string, fields: SignedFields, body: string | Buffer, now = Date.now()): string {
  const timestamp = Math.floor(now / 1000);
  return `t=${timestamp},v1=${mac(secret, timestamp, fields, body)}`;
}

export function verifyRequest(secret: string, header: string | undefined, fields: SignedFields, body: string | Buffer, now = Date.now()): boolean {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return false;
  const timestamp = Number(match[1]);
  if (Math.abs(Math.floor(now / 1000) - timestamp) > MAX_SKEW_SECONDS) return false;
  const expected = Buffer.from(mac(secret, timestamp, fields, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}
