import { INestApplicationContext } from '@nestjs/common';
import { TenantSettingsService } from '../../src/tenancy/tenant-settings.service';
import { ZoneRecompute } from '../../src/tenancy/zone-recompute';
import { asTenant } from './app-context';

/**
 * Puts the tenant's days in `zone` the way PATCH /settings does (TenantSettingsService.update, which
 * starts the recomputation of its stored days when the zone is new), then runs that recomputation to
 * the end here and checks that the tenant's days are now in `zone`. Nothing to do when they already are.
 */
export async function applyTimeZone(app: INestApplicationContext, tenantId: string, zone: string): Promise<void> {
  const settings = app.get(TenantSettingsService);
  const current = await asTenant(app, tenantId, () => settings.get());
  if (current.time_zone === zone && current.days_time_zone === zone) return;
  if (current.time_zone !== zone) await asTenant(app, tenantId, () => settings.update({ time_zone: zone }));
  await waitForDays(app, tenantId, zone);
}

/**
 * Runs the tenant's zone work in this process (joining the run the change started, if any) until its
 * days are in `zone`; fails after `timeoutMs`.
 */
export async function waitForDays(app: INestApplicationContext, tenantId: string, zone: string, timeoutMs = 60 * 60_000): Promise<void> {
  const settings = app.get(TenantSettingsService);
  const until = Date.now() + timeoutMs;
  for (;;) {
    await app.get(ZoneRecompute).runTenant(tenantId);
    const now = await asTenant(app, tenantId, () => settings.get());
    if (now.days_time_zone === zone && now.time_zone_change_started_at === null) return;
    if (now.time_zone !== zone) throw new Error(`${tenantId}'s time zone is ${now.time_zone}, not ${zone} (changed meanwhile)`);
    if (Date.now() > until) throw new Error(`${tenantId}'s days are still in ${now.days_time_zone}, not ${zone}, after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
