import { Inject, Injectable } from '@nestjs/common';
import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, JWTPayload } from 'jose';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { invalidToken } from '../common/errors/app-error';
import { Principal, ROLES, Role } from './tenant-context';

export const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The one rule for a tenant id, wherever it comes from: a token's `tenant_id` claim or TenantScope.run. */
export const isValidTenantId = (value: unknown): value is string => typeof value === 'string' && TENANT_ID_PATTERN.test(value);

/** The one rule for who acts: a token's `sub` claim or TenantScope.run's actor (1 to 128 characters). */
export const isValidActor = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 128;

/** The one rule for a role: a token's `role` claim or TenantScope.run's role. */
export const isValidRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/**
 * Verifies the identity service's tokens: HS256 under JWT_SECRET, or RS256/ES256 under JWT_PUBLIC_KEY.
 * The algorithm list is fixed by the configured key, so `alg: none` and HS/RS confusion are refused.
 */
@Injectable()
export class JwtVerifier {
  private readonly key: KeyObject;
  private readonly algorithms: string[];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const jwt = config.jwt;
    if (jwt.kind === 'secret') {
      // A key object made once: given the secret's bytes, jose would make one on every verification.
      this.key = createSecretKey(Buffer.from(jwt.secret, 'utf8'));
      this.algorithms = ['HS256'];
    } else {
      this.key = createPublicKey(jwt.publicKeyPem);
      this.algorithms = this.key.asymmetricKeyType === 'ec' ? ['ES256'] : ['RS256'];
    }
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: this.algorithms,
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw invalidToken('The token has expired');
      throw invalidToken('The token is not valid');
    }
    const { sub, tenant_id: tenantId, role } = payload as JWTPayload & { tenant_id?: unknown; role?: unknown };
    if (!isValidActor(sub)) throw invalidToken('The token has no valid sub');
    if (!isValidTenantId(tenantId)) throw invalidToken('The token has no valid tenant_id');
    if (!isValidRole(role)) throw invalidToken('The token has no valid role');
    return { tenantId, userId: sub, role };
  }
}
