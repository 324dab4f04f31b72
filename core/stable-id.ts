import { createHash } from 'node:crypto';

/** The sha1 of a record's identity (tenant, kind, n): the root of its id and vendor ids. */
export function digest(tenant: string, kind: string, n: number | string): string {
  return createHash('sha1').update(`${tenant}:${kind}:${n}`).digest('hex');
}

/** A stable UUID (v5-shaped) for the n-th record of a kind in a tenant. */
export function stableId(tenant: string, kind: string, n: number | string): string {
  const hex = digest(tenant, kind, n);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
