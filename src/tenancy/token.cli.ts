import { SignJWT } from 'jose';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/app-config';
import { TENANT_ID_PATTERN } from './jwt-verifier';
import { ROLES, Role } from './tenant-context';

/** `30m`, `1h`, `7d` or plain seconds. */
export function parseTtl(ttl: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(ttl.trim());
  if (!match) throw new Error(`--ttl ${ttl}: use e.g. 900, 30m, 1h or 7d`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/**
 * `npm run token -- --tenant acme --role admin [--sub user-1] [--ttl 1h]`: prints a token signed with
 * the same secret the service verifies with (JWT_SECRET, or the generated development secret).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      sub: { type: 'string', default: 'dev-user' },
      ttl: { type: 'string', default: '1h' },
    },
  });
  if (!values.tenant || !TENANT_ID_PATTERN.test(values.tenant)) throw new Error('--tenant is required (letters, digits, _ and -, at most 64)');
  if (!(ROLES as readonly string[]).includes(values.role!)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const config = loadConfig();
  if (config.jwt.kind !== 'secret') throw new Error('JWT_PUBLIC_KEY is set: tokens come from your identity service, not from here');

  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ tenant_id: values.tenant, role: values.role as Role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(values.sub!)
    .setIssuedAt(now)
    .setExpirationTime(now + parseTtl(values.ttl!));
  if (config.jwt.issuer) jwt.setIssuer(config.jwt.issuer);
  if (config.jwt.audience) jwt.setAudience(config.jwt.audience);
  process.stdout.write(`${await jwt.sign(new TextEncoder().encode(config.jwt.secret))}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
