import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { config } from './config.js';

/** What verifies a bearer token, and which algorithms it may use: asymmetric ones unless in development. */
export interface TokenVerification {
  key: Uint8Array | KeyObject | JWTVerifyGetKey;
  algorithms: string[];
  /** Whether this process can mint tokens itself (development, HS256) or they come from an identity provider. */
  canSign: boolean;
}

let current: TokenVerification | undefined;

/**
 * JWT_JWKS_URL (the identity provider's key set, fetched and cached by jose), else
 * JWT_PUBLIC_KEY (PEM), else the development HS256 secret. Never a mix: a token signed with
 * HS256 is refused when keys are configured, so a public key can never serve as an HMAC secret.
 */
export function tokenVerification(): TokenVerification {
  if (current) return current;
  const cfg = config();
  if (cfg.JWT_JWKS_URL) {
    current = { key: createRemoteJWKSet(new URL(cfg.JWT_JWKS_URL)), algorithms: ['RS256', 'ES256'], canSign: false };
  } else if (cfg.JWT_PUBLIC_KEY) {
    const key = createPublicKey(cfg.JWT_PUBLIC_KEY.replace(/\\n/g, '\n'));
    current = { key, algorithms: key.asymmetricKeyType === 'ec' ? ['ES256'] : ['RS256'], canSign: false };
  } else {
    current = { key: new TextEncoder().encode(cfg.JWT_SECRET), algorithms: ['HS256'], canSign: true };
  }
  return current;
}
