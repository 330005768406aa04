import { Injectable } from '@nestjs/common';
import { fieldInvalid } from '../common/errors/app-error';
import { isValidActor, isValidRole, isValidTenantId, TENANT_ID_PATTERN } from './jwt-verifier';
import { Role, TenantContext } from './tenant-context';
import { TenantRegistry } from './tenant-registry';

/** Who acts when TenantScope.run names no actor: recorded in the audit log and in domain events. */
export const DEFAULT_SCOPE_ACTOR = 'system';
/** The role TenantScope.run acts with when it names none: in-process callers are trusted like an admin. */
export const DEFAULT_SCOPE_ROLE: Role = 'admin';

export interface TenantScopeOptions {
  /**
   * Who acts, as a token's `sub` would say (1 to 128 characters): recorded as `created_by`/`updated_by`,
   * in the audit log and in domain events. Default `'system'`; name the host's service or its user.
   */
  actor?: string;
  /**
   * The role the work acts with (`admin`, `manager`, `agent`, `viewer`), for the rules services
   * enforce themselves (e.g. only an admin lists deleted milestones or restores a campaign). Default `'admin'`.
   */
  role?: Role;
}

/** A nested TenantScope.run named another tenant than the scope it runs in. */
export class TenantScopeNestingError extends Error {
  constructor(outer: string, inner: string) {
    super(`TenantScope.run for tenant ${inner} inside the scope of tenant ${outer}: a scope acts for one tenant only`);
    this.name = 'TenantScopeNestingError';
  }
}

/**
 * The public way for code in the same process (a host application's services, jobs, listeners) to
 * act as a tenant:
 *
 * ```ts
 * await tenantScope.run('acme', () => leads.create({ source_code: 'WEBSITE' }), { actor: 'sales-orders' });
 * ```
 *
 * - The tenant id is checked by the rule a token's `tenant_id` claim is checked by
 *   (`^[A-Za-z0-9_-]{1,64}$`, nothing trimmed), the actor and role as `sub` and `role` are; a bad one
 *   is refused with a 400 `VALIDATION_FAILED` AppError before anything runs.
 * - The tenant is registered and seeded with its defaults first, once, exactly as on its first REST
 *   request (TenantRegistry), so REST and in-process use can come in any order. The registration has
 *   a transaction of its own, unless the caller already has one open: then it joins it, so that the
 *   work inside sees the defaults, and commits or rolls back with it. A registration that rolls back
 *   is never remembered; the next run (or request) of the tenant tries again.
 * - Everything `work` does, awaited or not, runs in the tenant's async context: every repository
 *   reads and writes that tenant only. Outside a scope (or a request) data access throws.
 * - Scopes nest for the same tenant (the inner actor and role apply inside it); a run for another
 *   tenant inside a scope is refused (TenantScopeNestingError): a transaction opened in the outer
 *   scope would otherwise carry one tenant's writes into another's.
 */
@Injectable()
export class TenantScope {
  constructor(
    private readonly tenancy: TenantContext,
    private readonly registry: TenantRegistry,
  ) {}

  async run<T>(tenantId: string, work: () => T | Promise<T>, options: TenantScopeOptions = {}): Promise<T> {
    const actor = options.actor ?? DEFAULT_SCOPE_ACTOR;
    const role = options.role ?? DEFAULT_SCOPE_ROLE;
    if (!isValidTenantId(tenantId)) throw fieldInvalid('tenant_id', `tenant_id must match ${TENANT_ID_PATTERN.source}`);
    if (!isValidActor(actor)) throw fieldInvalid('actor', 'actor must be a string of 1 to 128 characters');
    if (!isValidRole(role)) throw fieldInvalid('role', 'role must be one of admin, manager, agent, viewer');
    const outer = this.tenancy.current();
    if (outer && outer.tenantId !== tenantId) throw new TenantScopeNestingError(outer.tenantId, tenantId);

    return this.tenancy.runAs({ tenantId, userId: actor, role }, async () => {
      await this.registry.ensure(tenantId);
      return work();
    });
  }
}
