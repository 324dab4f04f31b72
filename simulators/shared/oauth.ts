import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

interface Grant { refreshToken: string; revoked: boolean }

/**
 * A vendor's OAuth 2.0 token endpoint (refresh-token grant) and the access tokens it issued:
 * tokens expire, refresh tokens may rotate on every use (a used one is then dead), and a grant
 * can be revoked, after which refreshing answers `invalid_grant`.
 */
export class TokenAuthority {
  private readonly access = new Map<string, { expiresAt: number; grant: Grant }>();
  private readonly refresh = new Map<string, Grant>();
  /** Seconds an access token lives. */
  ttlSeconds: number;
  refreshes = 0;

  constructor(private readonly client: OAuthClient, options: { ttlSeconds?: number; rotateRefreshTokens?: boolean; extra?: () => Record<string, unknown> } = {}) {
    this.ttlSeconds = options.ttlSeconds ?? 3_600;
    this.rotate = options.rotateRefreshTokens ?? false;
    this.extra = options.extra ?? (() => ({}));
  }

  private readonly rotate: boolean;
  private readonly extra: () => Record<string, unknown>;

  /** A fresh grant: the credentials a person gets by connecting the integration. */
  grant(): { accessToken: string; refreshToken: string; expiresAt: number } {
    const grant: Grant = { refreshToken: token('rt'), revoked: false };
    this.refresh.set(grant.refreshToken, grant);
    const accessToken = this.issue(grant);
    return { accessToken, refreshToken: grant.refreshToken, expiresAt: this.access.get(accessToken)!.expiresAt };
  }

  private issue(grant: Grant): string {
    const accessToken = token('at');
    this.access.set(accessToken, { expiresAt: Date.now() + this.ttlSeconds * 1000, grant });
    return accessToken;
  }

  /** Every access token issued so far expires now. */
  expireAll(): void {
    for (const entry of this.access.values()) entry.expiresAt = 0;
  }

  /** The person revoked the app: every token of every grant stops working. */
  revokeAll(): void {
    for (const grant of this.refresh.values()) grant.revoked = true;
  }

  /** 'ok', 'expired' or 'invalid' for a request's `Authorization: Bearer` token. */
  check(req: Request): 'ok' | 'expired' | 'invalid' {
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const entry = match ? this.access.get(match[1]) : undefined;
    if (!entry || entry.grant.revoked) return 'invalid';
    return entry.expiresAt <= Date.now() ? 'expired' : 'ok';
  }

  /** The token endpoint: `grant_type=refresh_token` with client id and secret in the form body. */
  handle = (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string>;
    if (body.client_id !== this.client.clientId || body.client_secret !== this.client.clientSecret) {
      return res.status(401).json({ error: 'invalid_client', error_description: 'client authentication failed' });
    }
    const grant = body.grant_type === 'refresh_token' ? this.refresh.get(body.refresh_token ?? '') : undefined;
    if (!grant || grant.revoked) return res.status(400).json({ error: 'invalid_grant', error_description: 'refresh token is invalid, expired or revoked' });
    this.refreshes++;
    if (this.rotate) {
      this.refresh.delete(grant.refreshToken);
      grant.refreshToken = token('rt');
      this.refresh.set(grant.refreshToken, grant);
    }
    const accessToken = this.issue(grant);
    res.json({ access_token: accessToken, token_type: 'Bearer', expires_in: this.ttlSeconds, refresh_token: grant.refreshToken, ...this.extra() });
  };
}

function token(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}
