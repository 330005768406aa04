import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AppError, forbidden, unauthenticated } from '../common/errors/app-error';
import { JwtVerifier } from './jwt-verifier';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { Role, TenantContext } from './tenant-context';

/**
 * Global guard: verifies the bearer token, checks X-Tenant-ID against it, checks the route's roles, and
 * writes the principal into the request's async context. A route that declares no roles is refused
 * (fail closed); the route-roles architecture test keeps that from shipping.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Per handler and class: whether the route is public, and its roles (decorators never change). */
  private readonly routes = new WeakMap<object, WeakMap<object, { isPublic: boolean; roles?: Role[] }>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: JwtVerifier,
    private readonly tenancy: TenantContext,
  ) {}

  private route(context: ExecutionContext): { isPublic: boolean; roles?: Role[] } {
    const handler = context.getHandler();
    const cls = context.getClass();
    let byClass = this.routes.get(handler);
    if (!byClass) this.routes.set(handler, (byClass = new WeakMap()));
    let route = byClass.get(cls);
    if (!route) {
      const targets = [handler, cls];
      route = {
        isPublic: Boolean(this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)),
        roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
      };
      byClass.set(cls, route);
    }
    return route;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, roles } = this.route(context);
    if (isPublic) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw unauthenticated();
    const principal = await this.verifier.verify(match[1]);

    const claimed = request.headers['x-tenant-id'];
    if (claimed !== undefined && claimed !== principal.tenantId) {
      throw new AppError('TENANT_MISMATCH', 'X-Tenant-ID does not match the token');
    }

    if (!roles || !roles.includes(principal.role)) throw forbidden();

    this.tenancy.set(principal);
    return true;
  }
}
