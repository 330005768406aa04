import { Answer } from './engines';
import { TenantModel } from './model';
import { CODED } from './writes';

/**
 * Brings the model back in line with what the SQLite instance listed in a read sweep (the lists read
 * with include_deleted=true are whole): the codes, ids, versions and flags the next phase aims at.
 */
export function refreshFromRead(t: TenantModel, route: string, query: Record<string, unknown>, answer: Answer): void {
  if (answer.status !== 200 || query.include_deleted !== true || (query.offset ?? 0) !== 0) return;
  const rows = ((answer.body as { data?: Record<string, unknown>[] }).data ?? []) as Record<string, unknown>[];
  const coded = CODED.find((k) => route === `GET ${k.path}`);
  if (coded) {
    // A live row wins over deleted rows of the same code.
    const sorted = [...rows].sort((a, b) => Number(a.deleted_at == null) - Number(b.deleted_at == null));
    for (const row of sorted) t.setCoded(coded.kind, row, coded.codeField);
    return;
  }
  const subsources = /^GET \/lead-sources\/\{source_code\}\/subsources$/.test(route);
  if (subsources) {
    const sorted = [...rows].sort((a, b) => Number(a.deleted_at == null) - Number(b.deleted_at == null));
    for (const row of sorted) t.setSubsource(String(row.source_code), row);
    return;
  }
  if (route === 'GET /milestone-templates' || route === 'GET /campaign-templates' || route === 'GET /attribution-rules') {
    const map = route === 'GET /milestone-templates' ? t.milestoneTemplates : route === 'GET /campaign-templates' ? t.campaignTemplates : t.attributionRules;
    for (const row of rows)
      map.set(Number(row.id), { id: Number(row.id), live: row.deleted_at == null, active: row.is_active !== false, version: Number(row.version) });
    return;
  }
  if (route === 'GET /campaigns') {
    const sorted = [...rows].sort((a, b) => Number(a.deleted_at == null) - Number(b.deleted_at == null));
    for (const row of sorted) t.setCampaign(row);
  }
}
