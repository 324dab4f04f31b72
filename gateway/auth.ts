import type { IncomingHttpHeaders } from 'node:http';
import { verifyToken, type Principal } from '../core/auth.js';

/** The caller of one gateway request, from its bearer token. */
export async function authenticate(headers: IncomingHttpHeaders): Promise<Principal> {
  return verifyToken(headers.authorization);
}
