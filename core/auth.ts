import { SignJWT, jwtVerify, errors } from 'jose';
import { config } from './config.js';
import { tokenVerification } from './token-keys.js';
import { unauthenticated } from './errors.js';
import { TENANT_ID, TENANT_ID_RULE } from './tenant-id.js';

export const Scope = {
  Read: 'product_data.read',
  Write: 'product_data.write',
  /** Revenue, costs, ROI, recurring revenue and deal amounts: more than product data. */
  FinancialRead: 'financial_data.read',
  IntegrationsAdmin: 'integrations.admin',
} as const;

export const ALL_SCOPES = Object.values(Scope);

export interface Principal {
  subject: string;
  tenantId: string;
  scopes: string[];
}

/** A development token (HS256). With JWT_JWKS_URL or JWT_PUBLIC_KEY set, tokens come from the identity provider instead. */
export async function signToken(options: { tenantId: string; scopes?: string[]; subject?: string; expiresIn?: string | number }): Promise<string> {
  const verification = tokenVerification();
  if (!verification.canSign) throw new Error('Tokens come from your identity provider (JWT_JWKS_URL or JWT_PUBLIC_KEY is set): this process cannot mint them.');
  if (!TENANT_ID.test(options.tenantId)) throw new Error(`invalid tenant id "${options.tenantId}": ${TENANT_ID_RULE}`);
  return new SignJWT({ tenant: options.tenantId, scope: (options.scopes ?? [Scope.Read]).join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject ?? `dev:${options.tenantId}`)
    .setIssuer(config().JWT_ISSUER)
    .setAudience(config().JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(verification.key as Uint8Array);
}

/** Verifies a bearer token; every failure is an UNAUTHENTICATED error saying what to fix. */
export async function verifyToken(authorization: string | undefined): Promise<Principal> {
  if (!authorization) throw unauthenticated('Missing bearer token: send `Authorization: Bearer <token>` (npm run token prints one).');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw unauthenticated('Malformed Authorization header: expected `Bearer <token>`.');
  try {
    const { key, algorithms } = tokenVerification();
    const options = { issuer: config().JWT_ISSUER, audience: config().JWT_AUDIENCE, algorithms };
    const { payload } = typeof key === 'function' ? await jwtVerify(match[1], key, options) : await jwtVerify(match[1], key, options);
    const tenantId = payload.tenant;
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) throw unauthenticated('The token names no valid `tenant` claim.');
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
    return { subject: payload.sub ?? 'unknown', tenantId, scopes };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw unauthenticated('The token has expired: request a new one.');
    if (error instanceof errors.JWTClaimValidationFailed) throw unauthenticated(`The token was not accepted: ${error.message}.`);
    if (error instanceof errors.JOSEAlgNotAllowed) throw unauthenticated(`The token's signing algorithm is not accepted here (expected ${tokenVerification().algorithms.join(' or ')}).`);
    if (error instanceof errors.JWKSNoMatchingKey) throw unauthenticated("The token was signed by a key the identity provider's key set does not contain.");
    if (error instanceof errors.JOSEError) throw unauthenticated('The token is malformed or its signature is invalid.');
    throw error;
  }
}
