import { SignJWT } from 'jose';
import { Role } from '../../src/tenancy/tenant-context';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TokenOptions {
  tenant: string;
  role: Role;
  sub?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  secret?: string;
  claims?: Record<string, unknown>;
}

export function mintToken(o: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tenant_id: o.tenant, role: o.role, ...o.claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(o.sub ?? `${o.role}-user`)
    .setIssuedAt(now)
    .setExpirationTime(now + (o.expiresIn ?? 3600))
    .sign(new TextEncoder().encode(o.secret ?? TEST_JWT_SECRET));
}
