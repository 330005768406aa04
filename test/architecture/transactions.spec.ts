import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Our transactions run on a named nestjs-cls connection (src/database/transactional.ts), so that a
 * host's own @nestjs-cls/transactional setup never replaces ours. The library's unnamed
 * `@Transactional()` and an undecorated TransactionHost parameter would silently use the host's
 * connection (or none): both are refused outside that file.
 */
const ROOT = join(__dirname, '..', '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

describe('transactions use our named connection', () => {
  const files = sources(join(ROOT, 'src')).map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }));

  it('imports @Transactional only from src/database/transactional.ts', () => {
    const offenders = files
      .filter(({ file }) => file !== 'src/database/transactional.ts')
      .filter(({ text }) => /import\s*\{[^}]*\bTransactional\b[^}]*\}\s*from\s*'@nestjs-cls\/transactional'/.test(text))
      .map(({ file }) => file);
    expect(offenders).toEqual([]);
  });

  it('injects every TransactionHost with @InjectTxHost()', () => {
    const offenders = files.flatMap(({ file, text }) =>
      [...text.matchAll(/^(.*)\b\w+\s*:\s*TransactionHost\s*</gm)]
        .filter((m) => !/@InjectTxHost\(\)/.test(m[1]) && /\b(private|protected|public|readonly)\b/.test(m[1]))
        .map((m) => `${file}: ${m[0].trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
