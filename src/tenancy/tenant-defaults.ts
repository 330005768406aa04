import { Injectable } from '@nestjs/common';

/**
 * A feature module's contribution to a new tenant. Feature modules register theirs in onModuleInit;
 * tenancy runs them, in `order`, inside the one transaction that registers the tenant, and never
 * imports a feature module.
 */
export interface TenantDefaultsSeeder {
  name: string;
  /** Lower runs first (a template that names milestone types runs after the types). */
  order: number;
  seed(): Promise<void>;
}

@Injectable()
export class TenantDefaultsRegistry {
  private readonly seeders: TenantDefaultsSeeder[] = [];

  register(seeder: TenantDefaultsSeeder): void {
    if (this.seeders.some((s) => s.name === seeder.name)) throw new Error(`defaults ${seeder.name} registered twice`);
    this.seeders.push(seeder);
    this.seeders.sort((a, b) => a.order - b.order);
  }

  all(): readonly TenantDefaultsSeeder[] {
    return this.seeders;
  }
}
