import { NeedsReauthError, ConnectionConfigError } from './errors.js';

/** How a vendor authenticates requests; the secrets themselves are the connection's credentials. */
export type AuthScheme =
  | { type: 'bearer' }
  | { type: 'basic' }
  | { type: 'header'; name: string }
  | {
      type: 'oauth2';
      /** The token endpoint, absolute or relative to the connection's base URL. */
      tokenUrl: string;
      /** Refresh this long before the access token expires (default one minute). */
      refreshAheadMs?: number;
      /** The token response names the API's base URL (Salesforce's `instance_url`). */
      instanceUrlField?: string;
      /** RFC 7009 revocation endpoint, called when the connection is disconnected. */
      revokeUrl?: string;
    };

/** The credential fields a connection of this scheme must be given. */
export function requiredCredentials(scheme: AuthScheme): string[] {
  switch (scheme.type) {
    case 'bearer': return ['token'];
    case 'basic': return ['username', 'password'];
    case 'header': return ['key'];
    case 'oauth2': return ['clientId', 'clientSecret', 'refreshToken'];
  }
}

export type Credentials = Record<string, string | number | undefined>;

/** Produces request headers from a connection's credentials, refreshing OAuth tokens as needed. */
export interface AuthProvider {
  headers(): Promise<Record<string, string>>;
  /** The vendor answered 401: get a new access token once; throws NeedsReauthError when that fails. */
  refresh(): Promise<void>;
  /** A base URL the credentials carry (Salesforce's instance URL), overriding the connection's. */
  baseUrl(): string | null;
}

function need(credentials: Credentials, key: string): string {
  const value = credentials[key];
  if (typeof value !== 'string' || !value) throw new ConnectionConfigError(`credentials lack "${key}"`);
  return value;
}

export interface OAuthOptions {
  baseUrl: string;
  /** Persists rotated tokens (encrypted) before they are used. */
  save: (credentials: Credentials) => Promise<void>;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

export function createAuthProvider(scheme: AuthScheme, credentials: Credentials, options: OAuthOptions): AuthProvider {
  switch (scheme.type) {
    case 'bearer': {
      const token = need(credentials, 'token');
      return { headers: async () => ({ authorization: `Bearer ${token}` }), refresh: reauth, baseUrl: () => null };
    }
    case 'basic': {
      const basic = Buffer.from(`${need(credentials, 'username')}:${need(credentials, 'password')}`).toString('base64');
      return { headers: async () => ({ authorization: `Basic ${basic}` }), refresh: reauth, baseUrl: () => null };
    }
    case 'header': {
      const key = need(credentials, 'key');
      return { headers: async () => ({ [scheme.name]: key }), refresh: reauth, baseUrl: () => null };
    }
    case 'oauth2':
      return oauth2(scheme, { ...credentials }, options);
  }
}

/** A static credential that earns a 401 cannot be fixed by us. */
async function reauth(): Promise<never> {
  throw new NeedsReauthError('the vendor refused the credentials (401): reconnect with a valid token');
}

/**
 * OAuth 2.0 refresh-token grant: the access token is refreshed ahead of its expiry and on a 401;
 * a rotated refresh token is saved before the new access token is used. An `invalid_grant`
 * (revoked, expired, already used) means someone must reconnect.
 */
function oauth2(scheme: Extract<AuthScheme, { type: 'oauth2' }>, credentials: Credentials, options: OAuthOptions): AuthProvider {
  const now = options.now ?? Date.now;
  const fetchFn = options.fetch ?? fetch;
  const ahead = scheme.refreshAheadMs ?? 60_000;
  let pending: Promise<void> | null = null;

  const refresh = () => (pending ??= (async () => {
    try {
      // A connection may name its own token endpoint (a sandbox, a simulator); else the vendor's.
      const tokenUrl = new URL(typeof credentials.tokenUrl === 'string' ? credentials.tokenUrl : scheme.tokenUrl, withSlash(options.baseUrl)).toString();
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: need(credentials, 'refreshToken'),
        client_id: need(credentials, 'clientId'),
        client_secret: need(credentials, 'clientSecret'),
      });
      let response: Response;
      try {
        response = await fetchFn(tokenUrl, {
          method: 'POST', body,
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        throw new Error(`token refresh failed: ${(error as Error).message}`);
      }
      const text = await response.text();
      if (response.status === 400 || response.status === 401) {
        throw new NeedsReauthError(`the vendor refused the refresh token (${response.status} ${errorName(text)}): reconnect the integration`);
      }
      if (!response.ok) throw new Error(`token refresh failed with ${response.status}`);
      const token = JSON.parse(text) as Record<string, unknown>;
      if (typeof token.access_token !== 'string') throw new Error('token refresh answered without an access_token');
      credentials.accessToken = token.access_token;
      if (typeof token.refresh_token === 'string') credentials.refreshToken = token.refresh_token;
      const expiresIn = Number(token.expires_in);
      credentials.expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? now() + expiresIn * 1000 : undefined;
      if (scheme.instanceUrlField && typeof token[scheme.instanceUrlField] === 'string') credentials.instanceUrl = token[scheme.instanceUrlField] as string;
      await options.save({ ...credentials });
    } finally {
      pending = null;
    }
  })());

  return {
    async headers() {
      const expiresAt = typeof credentials.expiresAt === 'number' ? credentials.expiresAt : null;
      if (!credentials.accessToken || (expiresAt !== null && expiresAt - ahead <= now())) await refresh();
      return { authorization: `Bearer ${credentials.accessToken}` };
    },
    refresh,
    baseUrl: () => (typeof credentials.instanceUrl === 'string' ? credentials.instanceUrl : null),
  };
}

function errorName(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : 'error';
  } catch {
    return 'error';
  }
}

export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
