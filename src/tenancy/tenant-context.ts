import { Injectable } from '@nestjs/common';
import { ClsService, ClsStore } from 'nestjs-cls';

export const ROLES = ['admin', 'manager', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  tenantId: string;
  userId: string;
  role: Role;
}

export interface TenancyStore extends ClsStore {
  principal?: Principal;
}

export class MissingTenantError extends Error {
  constructor() {
    super('No tenant in context: data access outside a request or runAs()');
  }
}

/** The request's principal, kept in AsyncLocalStorage by nestjs-cls. Tenancy is never a parameter. */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService<TenancyStore>) {}

  require(): Principal {
    const principal = this.cls.isActive() ? this.cls.get('principal') : undefined;
    if (!principal) throw new MissingTenantError();
    return principal;
  }

  current(): Principal | undefined {
    return this.cls.isActive() ? this.cls.get('principal') : undefined;
  }

  set(principal: Principal): void {
    this.cls.set('principal', principal);
  }

  /** Runs work outside HTTP (seeding, scripts, benchmarks) as the given principal. */
  runAs<T>(principal: Principal, work: () => Promise<T>): Promise<T> {
    return this.cls.run({ ifNested: 'inherit' }, () => {
      this.set(principal);
      return work();
    });
  }
}
