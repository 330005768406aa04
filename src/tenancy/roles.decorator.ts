import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiHeader } from '@nestjs/swagger';
import { TENANT_ID_PATTERN } from './jwt-verifier';
import { Role } from './tenant-context';

export const ROLES_KEY = 'tenancy:roles';
export const PUBLIC_KEY = 'tenancy:public';

/**
 * Who may call the route. Every non-public route must say (test/architecture/route-roles.spec.ts).
 * The OpenAPI document carries the same list as `x-roles` (and says it in the description), so a
 * frontend can tell which actions to show.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth('bearer'),
    ApiExtension('x-roles', roles),
    ApiHeader({
      name: 'X-Tenant-ID',
      required: false,
      description: "Optional; when sent, must equal the token's tenant_id (else 403 TENANT_MISMATCH)",
      schema: { type: 'string', pattern: TENANT_ID_PATTERN.source, maxLength: 64 },
    }),
  );

/** The route needs no token (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Role sets of API.md §1, named once. */
export const ANY_ROLE: Role[] = ['admin', 'manager', 'agent', 'viewer'];
export const CONFIG_WRITERS: Role[] = ['admin', 'manager'];
export const FACT_WRITERS: Role[] = ['admin', 'manager', 'agent'];
export const CAMPAIGN_WRITERS: Role[] = ['admin', 'manager'];
export const ADMIN_ONLY: Role[] = ['admin'];
