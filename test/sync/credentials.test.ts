import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createConnection, loadConnection, readCredentials, rotateCredentials } from '../../sync/connection-store.js';
import { decryptCredentials, encryptCredentials, keyIdOf, parseKeyRing } from '../../sync/credentials.js';
import { connectors } from '../../sync/connectors.js';
import { syncHarness, type SyncHarness } from '../support/sync.js';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('vendor credentials at rest', () => {
  const secret = { clientId: 'client-1', clientSecret: 'cs-very-secret', refreshToken: 'rt-very-secret' };

  it('are AES-256-GCM ciphertext bound to their tenant and connection', () => {
    const ring = parseKeyRing(key('k1'));
    const blob = encryptCredentials(ring, 'acme', 'c1', secret);
    expect(blob.toString('latin1')).not.toContain('very-secret');
    expect(decryptCredentials(ring, 'acme', 'c1', blob)).toEqual(secret);
    expect(() => decryptCredentials(ring, 'acme', 'c2', blob)).toThrow(/could not be decrypted/);
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] ^= 1;
    expect(() => decryptCredentials(ring, 'acme', 'c1', tampered)).toThrow(/could not be decrypted/);
    expect(() => decryptCredentials(parseKeyRing(key('k2')), 'acme', 'c1', blob)).toThrow(/key "k1"/);
  });

  it('refuses malformed key rings', () => {
    expect(() => parseKeyRing('k1:short')).toThrow(/32 bytes/);
    expect(() => parseKeyRing(`${key('k1')},${key('k1')}`)).toThrow(/twice/);
    expect(() => parseKeyRing('')).toThrow(/no key/);
  });

  describe('key rotation', () => {
    let harness: SyncHarness;
    beforeAll(async () => { harness = await syncHarness('sync-credentials'); });
    afterAll(async () => { await harness.close(); });

    it('re-encrypts every stored credential with the new key, and old rows stay readable until then', async () => {
      const connector = [...connectors.values()][0];
      if (!connector) throw new Error('no connector registered');
      const oldRing = parseKeyRing(key('old'));
      const created = await createConnection(harness.db, oldRing, { tenantId: harness.tenant, connector, credentials: secret });
      const stored = await sql<{ raw: string }>`select encode(credentials, 'escape') as raw from integrations.connections where id = ${created.id}`.execute(harness.db);
      expect(stored.rows[0].raw).not.toContain('very-secret');

      const newKey = key('new');
      const both = parseKeyRing(`${newKey},${oldRing.current.id}:${oldRing.current.key.toString('base64')}`);
      expect(readCredentials(both, (await loadConnection(harness.db, harness.tenant, created.id))!)).toEqual(secret);
      expect(await rotateCredentials(harness.db, both, { tenantId: harness.tenant })).toBeGreaterThanOrEqual(1);
      const rotated = (await loadConnection(harness.db, harness.tenant, created.id))!;
      expect(keyIdOf(rotated.credentials!)).toBe('new');
      expect(readCredentials(parseKeyRing(newKey), rotated)).toEqual(secret);
      expect(await rotateCredentials(harness.db, both, { tenantId: harness.tenant })).toBe(0);
    });
  });
});
