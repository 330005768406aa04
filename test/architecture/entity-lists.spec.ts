import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTITIES } from '../../src/database/entities';
import { MIGRATIONS } from '../../src/database/migrations';

/**
 * Hosts get our schema from two lists (src/database/entities.ts, migrations.ts), and the service uses
 * the same lists: a new entity or migration file that is not in its list would be missing from
 * every host and from the service alike.
 */
const SRC = join(__dirname, '..', '..', 'src');

function files(dir: string, suffix: RegExp, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files(path, suffix, out);
    else if (suffix.test(entry.name)) out.push(path);
  }
  return out;
}

const exportedClasses = (path: string) => [...readFileSync(path, 'utf8').matchAll(/export class (\w+)/g)].map((m) => m[1]);

describe('entity and migration lists', () => {
  it('ENTITIES names every entity class under src/', () => {
    const declared = files(SRC, /\.entity\.ts$/)
      .flatMap(exportedClasses)
      .sort();
    expect(ENTITIES.map((e) => e.name).sort()).toEqual(declared);
  });

  it('MIGRATIONS names every migration file, in timestamp order', () => {
    const dir = join(SRC, 'database', 'migrations');
    const declared = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .flatMap((f) => exportedClasses(join(dir, f)));
    expect(MIGRATIONS.map((m) => m.name)).toEqual(declared);
  });
});
