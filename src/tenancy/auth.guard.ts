import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppError, forbidden, invalidToken, unauthenticated } from '../common/errors/app-error';
import { JwtVerifier } from './jwt-verifier';
import { MemoizedReflector } from './memoized-reflector';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { Role, TenantContext } from './tenant-context';

/**
 * Global guard: verifies the bearer token, checks X-Tenant-ID against it, checks the route's roles, and
 * writes the principal into the request's async context. A route that declares no roles is refused
 * (fail closed); the route-roles architecture test keeps that from shipping.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Route decorators read from memory after each route's first request (they never change). */
  private readonly reflector = new MemoizedReflector();

  constructor(
    private readonly verifier: JwtVerifier,
    private readonly tenancy: TenantContext,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      // Something after "Bearer" that is not one token is a malformed token; anything else sent none.
      throw typeof header === 'string' && /^Bearer\s+\S/i.test(header) ? invalidToken('The bearer token is malformed') : unauthenticated();
    }
    const principal = await this.verifier.verify(match[1]);

    const claimed = request.headers['x-tenant-id'];
    if (claimed !== undefined && claimed !== principal.tenantId) {
      throw new AppError('TENANT_MISMATCH', 'X-Tenant-ID does not match the token');
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(principal.role)) throw forbidden();

    this.tenancy.set(principal);
    return true;
  }
}
