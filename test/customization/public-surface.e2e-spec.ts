import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicSurface } from './public-surface';

// Reads the public surface with the TypeScript compiler: 27 s on two busy cores; 30 s (jest.config.js)
// leaves too little headroom.
jest.setTimeout(90_000);

/**
 * The package's API is what src/index.ts exports: every name with its kind, and the public methods
 * of every exported class. public-surface.json is that list as reviewed; a change to the entry (a
 * name added, removed, or turned from a type into a value, a service method added or renamed) fails
 * here until the file is updated on purpose:
 *
 *   UPDATE_PUBLIC_SURFACE=1 npx jest test/customization/public-surface.e2e-spec.ts
 *
 * and the diff of public-surface.json is reviewed like any other API change (docs/embedding.md).
 */
const ROOT = join(__dirname, '..', '..');
const PINNED = join(__dirname, 'public-surface.json');

describe('public surface', () => {
  it('is the reviewed list of names and service methods', () => {
    const surface = publicSurface(join(ROOT, 'src', 'index.ts'), join(ROOT, 'tsconfig.build.json'));
    if (process.env.UPDATE_PUBLIC_SURFACE === '1') writeFileSync(PINNED, `${JSON.stringify(surface, null, 2)}\n`);
    expect(surface).toEqual(JSON.parse(readFileSync(PINNED, 'utf8')));
  });
});
