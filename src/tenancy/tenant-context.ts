import { Injectable } from '@nestjs/common';
import { ClsService, ClsStore } from 'nestjs-cls';
import { forbidden } from '../common/errors/app-error';

export const ROLES = ['admin', 'manager', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  tenantId: string;
  userId: string;
  role: Role;
}

/**
 * Where the principal sits in the async context. Namespaced: a host application that embeds the
 * modules shares nestjs-cls with them and may keep its own `principal`. A symbol, not the string
 * 'salesCustomization.principal': nestjs-cls reads a dotted string as a path into a nested object,
 * which a nested context would share with its parent instead of copying.
 */
export const PRINCIPAL_KEY: unique symbol = Symbol.for('salesCustomization.principal');

export interface TenancyStore extends ClsStore {
  [PRINCIPAL_KEY]?: Principal;
}

export class MissingTenantError extends Error {
  constructor() {
    super('No tenant in context: data access outside a request or TenantScope.run()');
  }
}

/** The request's principal, kept in AsyncLocalStorage by nestjs-cls. Tenancy is never a parameter. */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService<TenancyStore>) {}

  require(): Principal {
    const principal = this.cls.isActive() ? this.cls.get(PRINCIPAL_KEY) : undefined;
    if (!principal) throw new MissingTenantError();
    return principal;
  }

  /**
   * The one check for what only an admin may do inside a route other roles can call (listing deleted
   * rows, restoring): 403 naming the thing asked for. Whole routes are restricted with @Roles instead.
   */
  requireAdmin(what: string): void {
    if (this.require().role !== 'admin') throw forbidden(`${what} needs the admin role`);
  }

  current(): Principal | undefined {
    return this.cls.isActive() ? this.cls.get(PRINCIPAL_KEY) : undefined;
  }

  set(principal: Principal): void {
    this.cls.set(PRINCIPAL_KEY, principal);
  }

  /**
   * Runs work as the given principal, with no check and no registration: for the service's own code
   * (seeding, benchmarks, tests). Code outside the service acts as a tenant through TenantScope.run.
   */
  runAs<T>(principal: Principal, work: () => Promise<T>): Promise<T> {
    return this.cls.run({ ifNested: 'inherit' }, () => {
      this.set(principal);
      return work();
    });
  }
}
