#!/usr/bin/env node
/**
 * `npm run build`: compiles src/ into dist/ (tsconfig.build.json) and stamps the build.
 * `node scripts/build.js --if-stale` (what `npm start`, `npm run token` and the migration commands run
 * first): compiles only when a source or build setting is newer than the last stamped build, so a
 * start with an up-to-date build goes straight to `node dist/main.js`.
 *
 * The stamp lists the inputs it saw, so deleting a source file also counts as a change.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const stampFile = join(root, 'dist', '.build-stamp.json');
const settings = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function sources(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

function inputs() {
  const files = [...sources(join(root, 'src')), ...settings.map((f) => join(root, f)).filter(existsSync)];
  return {
    files: files.map((f) => relative(root, f)).sort(),
    newest: Math.max(...files.map((f) => statSync(f).mtimeMs)),
  };
}

function stale(now) {
  if (!existsSync(join(root, 'dist', 'main.js')) || !existsSync(stampFile)) return true;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return true;
  }
  return stamp.newest !== now.newest || stamp.files.join('\n') !== now.files.join('\n');
}

// A deployment that ships only dist/ (no sources) has nothing to compile: it runs what it has.
if (!existsSync(join(root, 'src'))) {
  if (existsSync(join(root, 'dist', 'main.js'))) process.exit(0);
  process.stderr.write('Cannot build: neither src/ nor dist/main.js is here\n');
  process.exit(1);
}

const before = inputs();
if (process.argv.includes('--if-stale') && !stale(before)) process.exit(0);

// A build starts from an empty dist/: JavaScript of a renamed or deleted source would otherwise stay
// behind, be packed into the tarball and, for a migration, be found by anything that lists the folder.
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
if (result.status !== 0) process.exit(result.status ?? 1);
// Stamp what was compiled: an edit made while tsc ran is newer than the stamp and rebuilds next time.
writeFileSync(stampFile, `${JSON.stringify(before)}\n`);
