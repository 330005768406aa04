import { SignJWT } from 'jose';
import { Role } from '../../src/tenancy/tenant-context';
import { secrets } from './secrets';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
secrets.addLiteral(TEST_JWT_SECRET, 'the JWT secret');
secrets.addKey(Buffer.from(TEST_ENCRYPTION_KEY, 'base64'), 'ENCRYPTION_KEY');

export interface TokenOptions {
  tenant: string;
  role: Role;
  sub?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  secret?: string;
  claims?: Record<string, unknown>;
}

/** A signed HS256 token; registered as a secret (test/support/secrets.ts), so no log line or answer may carry it. */
export async function mintToken(o: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ tenant_id: o.tenant, role: o.role, ...o.claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(o.sub ?? `${o.role}-user`)
    .setIssuedAt(now)
    .setExpirationTime(now + (o.expiresIn ?? 3600))
    .sign(new TextEncoder().encode(o.secret ?? TEST_JWT_SECRET));
  secrets.addToken(token);
  return token;
}
