import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository's root. */
export const ROOT = join(__dirname, '..', '..');

/** Every .ts file under `dir` (relative to the root, with forward slashes), specs included. */
export function sourceFiles(dir = 'src'): string[] {
  const list = (path: string): string[] =>
    readdirSync(path).flatMap((name) => {
      const child = join(path, name);
      if (statSync(child).isDirectory()) return list(child);
      return child.endsWith('.ts') ? [child] : [];
    });
  return list(join(ROOT, dir)).map((f) => relative(ROOT, f).split('\\').join('/'));
}
