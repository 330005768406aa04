import { TenantContext } from '../tenancy/tenant-context';

/** The list query every configuration resource and template kind takes (its DTO's shared fields). */
export interface ConfigListQuery {
  limit: number;
  offset: number;
  include_inactive: boolean;
  include_deleted: boolean;
  is_active?: boolean;
}

export interface ConfigListFilter {
  includeInactive: boolean;
  includeDeleted: boolean;
  isActive?: boolean;
  /** The list query as received (a resource's own filters, such as source_type or search): see applyFilters. */
  query?: object;
}

/**
 * A list query → the repository's filter and page. Deleted rows need the admin role (403); `is_active`
 * picks one side explicitly; otherwise inactive rows show only when asked for.
 */
export function toListFilter(query: ConfigListQuery, tenancy: TenantContext): { filter: ConfigListFilter; page: { limit: number; offset: number } } {
  if (query.include_deleted) tenancy.requireAdmin('include_deleted');
  return {
    filter: {
      includeInactive: query.include_inactive || query.include_deleted || query.is_active !== undefined,
      includeDeleted: query.include_deleted,
      isActive: query.is_active,
      query,
    },
    page: { limit: query.limit, offset: query.offset },
  };
}
