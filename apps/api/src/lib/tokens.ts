import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe token with `bytes` of entropy. */
export function createToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 hex: how session tokens, API keys and invitation tokens are stored. A fast hash is
 * right here (unlike passwords) because the inputs are 256-bit random values. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
