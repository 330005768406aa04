import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * The folders of src/ form layers, and an import goes down or sideways, never up: the next engineer can
 * change a layer knowing what can depend on it. From the bottom:
 *
 * - `config`, then `common` (HTTP, errors, validation, text, analytics helpers), then `database`
 *   (connection, migrations, SQL dialect, transaction hooks): they know no tenant and no feature;
 * - `tenancy` (tenant context, scoped repositories, ids, audit log) and `events` (domain events);
 * - `config-resource`, the kernel of the configuration resources every feature builds on;
 * - the features, in the design's direction: `campaigns`, then `lead-sources` (a lead names its
 *   campaign), then `milestones` (a milestone belongs to a lead);
 * - `webhooks` (subscriptions, the outbox relay and delivery): it reads the domain events and tenancy,
 *   and no feature imports it (the features raise events; the outbox carries them here);
 * - `health` and `customization` (the module a host imports), then the standalone server's root files.
 *
 * Spec files sit beside what they test and may import anything.
 */
const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

const LAYER: Record<string, number> = {
  config: 0,
  common: 1,
  database: 2,
  tenancy: 3,
  events: 3,
  'config-resource': 4,
  campaigns: 5,
  'lead-sources': 6,
  milestones: 7,
  // Reads events (rank 3) and tenancy (3), and the kernels below; nothing under it imports it.
  webhooks: 7.5,
  health: 8,
  customization: 8,
  '.': 9,
};

/** Upward imports on purpose, each with its reason. */
const ALLOWED_UP: Record<string, string> = {
  // The schema's entity list names every feature's entities (the DataSource and the host take it whole).
  'src/database/entities.ts': 'campaigns lead-sources milestones tenancy webhooks',
  // Event payloads carry a lead's and a milestone's status, typed by the entities' unions (type-only).
  'src/events/domain-events.ts': 'lead-sources milestones',
};

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

const folderOf = (file: string) => {
  const rel = relative(SRC, file).split('/');
  return rel.length === 1 ? '.' : rel[0];
};

export function upwardImports(file: string, text: string): string[] {
  const from = folderOf(file);
  const found: string[] = [];
  for (const match of text.matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
    const target = normalize(join(dirname(file), match[1]));
    if (!target.startsWith(SRC)) continue;
    const to = folderOf(`${target}.ts`);
    if (LAYER[to] === undefined) found.push(`${relative(ROOT, file)} imports ${match[1]}: folder ${to} has no layer`);
    else if (LAYER[to] > LAYER[from] && !(ALLOWED_UP[relative(ROOT, file)] ?? '').split(' ').includes(to)) {
      found.push(`${relative(ROOT, file)} (${from}) imports ${match[1]} (${to}, a higher layer)`);
    }
  }
  return found;
}

describe('layers', () => {
  it('gives every folder of src/ a layer', () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((f) => LAYER[f] === undefined)).toEqual([]);
  });

  it('imports only from the same or a lower layer, except where declared', () => {
    const found = sources(SRC).flatMap((file) => upwardImports(file, readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it('finds an upward import (the check is not vacuous)', () => {
    expect(upwardImports(join(SRC, 'common', 'http', 'x.ts'), "import { TenantContext } from '../../tenancy/tenant-context';")).toHaveLength(1);
    expect(upwardImports(join(SRC, 'campaigns', 'x.ts'), "import { LeadEntity } from '../lead-sources/lead.entity';")).toHaveLength(1);
    expect(upwardImports(join(SRC, 'milestones', 'x.ts'), "import { LeadEntity } from '../lead-sources/lead.entity';")).toEqual([]);
  });
});
