import { SignJWT, jwtVerify, errors } from 'jose';
import { config } from './config.js';
import { unauthenticated } from './errors.js';
import { TENANT_ID, TENANT_ID_RULE } from './tenant-id.js';

export const Scope = {
  Read: 'product_data.read',
  Write: 'product_data.write',
  IntegrationsAdmin: 'integrations.admin',
} as const;

export const ALL_SCOPES = Object.values(Scope);

export interface Principal {
  subject: string;
  tenantId: string;
  scopes: string[];
}

function secret(): Uint8Array {
  return new TextEncoder().encode(config().JWT_SECRET);
}

export async function signToken(options: { tenantId: string; scopes?: string[]; subject?: string; expiresIn?: string | number }): Promise<string> {
  if (!TENANT_ID.test(options.tenantId)) throw new Error(`invalid tenant id "${options.tenantId}": ${TENANT_ID_RULE}`);
  return new SignJWT({ tenant: options.tenantId, scope: (options.scopes ?? [Scope.Read]).join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject ?? `dev:${options.tenantId}`)
    .setIssuer(config().JWT_ISSUER)
    .setAudience(config().JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(secret());
}

/** Verifies a bearer token; every failure is an UNAUTHENTICATED error saying what to fix. */
export async function verifyToken(authorization: string | undefined): Promise<Principal> {
  if (!authorization) throw unauthenticated('Missing bearer token: send `Authorization: Bearer <token>` (npm run token prints one).');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw unauthenticated('Malformed Authorization header: expected `Bearer <token>`.');
  try {
    const { payload } = await jwtVerify(match[1], secret(), {
      issuer: config().JWT_ISSUER,
      audience: config().JWT_AUDIENCE,
      algorithms: ['HS256'],
    });
    const tenantId = payload.tenant;
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) throw unauthenticated('The token names no valid `tenant` claim.');
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
    return { subject: payload.sub ?? 'unknown', tenantId, scopes };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw unauthenticated('The token has expired: request a new one.');
    if (error instanceof errors.JWTClaimValidationFailed) throw unauthenticated(`The token was not accepted: ${error.message}.`);
    if (error instanceof errors.JOSEError) throw unauthenticated('The token is malformed or its signature is invalid.');
    throw error;
  }
}
