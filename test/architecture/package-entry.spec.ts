import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ROOT } from './source-files';

/**
 * What a host loads when it imports the package: every file the public entry (src/index.ts) reaches
 * through imports that stay at run time (`import type` and `export type` vanish in the build) must be in
 * the package, and every package it names must be one a host has. A file of the standalone server that
 * the package leaves out (`files` in package.json: dev secrets, the CLI, main, health) reached from the
 * entry breaks every host at its first `require` (seen: the webhook defaults were once read from
 * app-config.ts, which loads dev-secrets). The example host in `.ci/run` finds the same from the packed
 * tarball; this finds it in a second.
 */

interface Manifest {
  files: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

/** `!dist/health/`, `!dist/main.*`: as tests on a path under dist/ (no other glob forms are used). */
const excluded = manifest.files
  .filter((f) => f.startsWith('!'))
  .map((f) => {
    const pattern = f.slice(1);
    if (pattern.endsWith('/')) return (path: string) => path.startsWith(pattern);
    const prefix = pattern.replace(/\*$/, '');
    return (path: string) => path.startsWith(prefix);
  });

/** The module specifiers a file imports and re-exports at run time, with `import type` / `export type` left out. */
function runtimeImports(source: string): string[] {
  const found: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(statement)) if (!m[2]) found.push(m[4]);
  // `await import('x')` loads lazily: not at the host's first require.
  return found;
}

function walk(entry: string): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of runtimeImports(readFileSync(join(ROOT, file), 'utf8'))) {
      if (spec.startsWith('.')) {
        const base = join(dirname(file), spec);
        const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(join(ROOT, p)));
        if (!target) throw new Error(`${file}: cannot find ${spec}`);
        queue.push(relative(ROOT, join(ROOT, target)).split('\\').join('/'));
      } else {
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!packages.has(name)) packages.set(name, file);
      }
    }
  }
  return { files, packages };
}

describe('the package entry', () => {
  const { files, packages } = walk('src/index.ts');

  it('reaches only files the package ships', () => {
    expect(files.size).toBeGreaterThan(50);
    const dist = (file: string) => file.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
    expect([...files].filter((f) => excluded.some((isExcluded) => isExcluded(dist(f))))).toEqual([]);
  });

  it('loads at once only packages every host has: Node built-ins, dependencies and required peers', () => {
    const optional = new Set(Object.keys(manifest.peerDependenciesMeta ?? {}).filter((name) => manifest.peerDependenciesMeta![name].optional));
    const has = (name: string) =>
      name.startsWith('node:') ||
      builtinModules.includes(name) ||
      name in (manifest.dependencies ?? {}) ||
      (name in (manifest.peerDependencies ?? {}) && !optional.has(name));
    // The database drivers are optional peers a host installs for its engine; TypeORM loads the one it
    // uses, and data-source.ts names mysql2 for the bounded pool of MySQL/MariaDB hosts.
    const DRIVERS = new Set(['mysql2', 'better-sqlite3']);
    expect([...packages].filter(([name]) => !has(name) && !DRIVERS.has(name)).map(([name, file]) => `${name} (from ${file})`)).toEqual([]);
  });
});
