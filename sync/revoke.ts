import type { Logger } from '../core/logger.js';
import type { Credentials } from './auth.js';
import type { Connector } from './connector.js';

/**
 * Revokes an OAuth grant at the vendor (RFC 7009: the refresh token, which takes its access
 * tokens with it). Best effort: the credentials are already gone from our side either way.
 */
export async function revokeCredentials(connector: Connector, credentials: Credentials, log: Logger, fetchFn: typeof fetch = fetch): Promise<boolean> {
  if (connector.auth.type !== 'oauth2' || !connector.auth.revokeUrl) return false;
  const token = credentials.refreshToken ?? credentials.accessToken;
  if (typeof token !== 'string') return false;
  const url = typeof credentials.revokeUrl === 'string' ? credentials.revokeUrl : connector.auth.revokeUrl;
  try {
    const response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: String(credentials.clientId ?? ''), client_secret: String(credentials.clientSecret ?? '') }),
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok;
  } catch (error) {
    log.warn({ vendor: connector.vendor, err: (error as Error).message }, 'revoking the vendor token failed');
    return false;
  }
}
