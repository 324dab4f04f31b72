import { digest } from '../core/stable-id.js';

/** External ids in each vendor's own format, derived from the record's identity so they are stable. */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

function base62(value: bigint, length: number): string {
  let out = '';
  for (let v = value; out.length < length; v /= 62n) out = BASE62[Number(v % 62n)] + out;
  return out;
}

/**
 * A Salesforce 18-character id (e.g. 0015g00000AbCdEAAV): key prefix, pod, a 15-character
 * case-sensitive id and Salesforce's real 3-character case checksum.
 */
export function salesforceId(prefix: '001' | '006', n: number): string {
  const id15 = `${prefix}5g0000${base62(BigInt(3_000_000 + n * 7919), 6)}`;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM[bits];
  }
  return id15 + suffix;
}

/** A Stripe object id: `sub_`, `in_`, `cus_` and 24 base62 characters. */
export function stripeId(prefix: 'sub' | 'in' | 'cus', tenant: string, key: string): string {
  return `${prefix}_${base62(BigInt(`0x${digest(tenant, `stripe-${prefix}`, key)}`), 24)}`;
}

/** The Stripe customer of a company: identities, subscriptions and invoices all name it. */
export function stripeCustomerId(tenant: string, companyId: string): string {
  return stripeId('cus', tenant, companyId);
}

/** The tenant's HubSpot portal (account) id: an 8-digit number. */
export function hubspotPortal(tenant: string): number {
  return 20_000_000 + (parseInt(digest(tenant, 'hubspot', 'portal').slice(0, 8), 16) % 9_000_000);
}

/** A Gainsight GSID: 36 upper-case base-36 characters starting with the object's prefix. */
export function gainsightId(prefix: '1P02' | '1S01' | '1I00' | '1P05', tenant: string, key: string): string {
  return (prefix + BigInt(`0x${digest(tenant, `gainsight-${prefix}`, key)}`).toString(36).toUpperCase()).padEnd(36, '0').slice(0, 36);
}
