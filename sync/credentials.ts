import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Credentials } from './auth.js';

/**
 * Vendor credentials at rest: AES-256-GCM under a key ring from the environment
 * (`CREDENTIALS_KEYS="<id>:<base64 32 bytes>,<older id>:<...>"`, the first key encrypts). Each
 * ciphertext names its key, so old rows stay readable while `rotateCredentials` re-encrypts them,
 * and is bound to its tenant and connection (as associated data), so it cannot be moved to another row.
 */
export interface KeyRing {
  current: { id: string; key: Buffer };
  keys: Map<string, Buffer>;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The development key ring: refused when NODE_ENV=production. */
export const DEVELOPMENT_CREDENTIALS_KEYS = `dev:${createHash('sha256').update('product-graph-development-credentials-key').digest('base64')}`;

export function parseKeyRing(spec: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let current: KeyRing['current'] | undefined;
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const colon = part.indexOf(':');
    const id = part.slice(0, colon);
    const key = Buffer.from(part.slice(colon + 1), 'base64');
    if (colon < 1 || !/^[A-Za-z0-9_.-]{1,64}$/.test(id)) throw new Error('each key must be "<id>:<base64 key>" with an id of letters, digits, "_", "." or "-"');
    if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes (base64 of 32 random bytes), got ${key.length}`);
    if (keys.has(id)) throw new Error(`key id "${id}" appears twice`);
    keys.set(id, key);
    current ??= { id, key };
  }
  if (!current) throw new Error('no key given');
  return { current, keys };
}

function context(tenantId: string, connectionId: string): Buffer {
  return Buffer.from(`${tenantId}/${connectionId}`);
}

export function encryptCredentials(ring: KeyRing, tenantId: string, connectionId: string, credentials: Credentials): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv);
  cipher.setAAD(context(tenantId, connectionId));
  const data = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  const kid = Buffer.from(ring.current.id);
  return Buffer.concat([Buffer.from([VERSION, kid.length]), kid, iv, cipher.getAuthTag(), data]);
}

/** The id of the key a stored ciphertext was made with. */
export function keyIdOf(blob: Buffer): string {
  if (blob[0] !== VERSION) throw new Error('stored credentials are in an unknown format');
  return blob.subarray(2, 2 + blob[1]).toString();
}

export function decryptCredentials(ring: KeyRing, tenantId: string, connectionId: string, blob: Buffer): Credentials {
  const kid = keyIdOf(blob);
  const key = ring.keys.get(kid);
  if (!key) throw new Error(`stored credentials were encrypted with key "${kid}", which CREDENTIALS_KEYS no longer holds`);
  let offset = 2 + blob[1];
  const iv = blob.subarray(offset, (offset += IV_BYTES));
  const tag = blob.subarray(offset, (offset += TAG_BYTES));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(context(tenantId, connectionId));
  decipher.setAuthTag(tag);
  try {
    return JSON.parse(Buffer.concat([decipher.update(blob.subarray(offset)), decipher.final()]).toString('utf8')) as Credentials;
  } catch {
    throw new Error('stored credentials could not be decrypted (wrong key or tampered row)');
  }
}
