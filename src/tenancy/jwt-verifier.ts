import { Inject, Injectable } from '@nestjs/common';
import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, JWTPayload } from 'jose';
import type { JwtConfig } from '../config/app-config';
import { invalidToken } from '../common/errors/app-error';
import { Principal, ROLES, Role } from './tenant-context';

/** The verification settings (the standalone server's JWT_* variables, or a host's `http.jwt`). */
export const JWT_CONFIG = Symbol('JWT_CONFIG');

export const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Verifies the identity service's tokens: HS256 under JWT_SECRET, or RS256/ES256 under JWT_PUBLIC_KEY.
 * The algorithm list is fixed by the configured key, so `alg: none` and HS/RS confusion are refused.
 */
@Injectable()
export class JwtVerifier {
  private readonly key: KeyObject;
  private readonly algorithms: string[];

  constructor(@Inject(JWT_CONFIG) private readonly jwt: JwtConfig) {
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
        issuer: this.jwt.issuer,
        audience: this.jwt.audience,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw invalidToken('The token has expired');
      throw invalidToken('The token is not valid');
    }
    const { sub, tenant_id: tenantId, role } = payload as JWTPayload & { tenant_id?: unknown; role?: unknown };
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128) throw invalidToken('The token has no valid sub');
    if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
      throw invalidToken('The token has no valid tenant_id');
    }
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
      throw invalidToken('The token has no valid role');
    }
    return { tenantId, userId: sub, role: role as Role };
  }
}
