import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApi, TestApi } from '../support/app';

// Lints the whole document with Spectral and the OWASP ruleset: 91 s on two busy cores.
jest.setTimeout(300_000);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

interface SpectralResult {
  code: string;
  message: string;
  path: (string | number)[];
  severity: number;
}

/**
 * The served document (GET /docs-json) passes Spectral's OpenAPI ruleset and the OWASP API security
 * ruleset as configured in .spectral.yaml, where every rule turned off or downgraded says why.
 */
describe('OpenAPI document: Spectral', () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    api = await startTestApi();
    dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  });

  it('has no errors and no warnings under spectral:oas and the OWASP ruleset (.spectral.yaml)', async () => {
    const res = await api.raw().get('/docs-json');
    expect(res.statusCode).toBe(200);
    const file = join(dir, 'openapi.json');
    writeFileSync(file, res.body);
    if (process.env.OPENAPI_DUMP) writeFileSync(process.env.OPENAPI_DUMP, res.body);
    const bin = join(ROOT, 'node_modules', '.bin', 'spectral');
    // Exit code 1 means "found problems at or above --fail-severity": the JSON is still on stdout.
    const { stdout } = await run(bin, ['lint', file, '--ruleset', join(ROOT, '.spectral.yaml'), '--format', 'json', '--quiet', '--fail-severity', 'hint'], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, SCARF_ANALYTICS: 'false' },
    }).catch((e: { stdout?: string; stderr?: string; code?: number }) => {
      if (e.code === 1 && e.stdout) return { stdout: e.stdout };
      throw new Error(`spectral failed (${e.code}): ${e.stderr ?? ''}`);
    });
    const results = JSON.parse(stdout) as SpectralResult[];
    const SEVERITY = ['error', 'warn', 'info', 'hint'];
    const found = results.map((r) => `${SEVERITY[r.severity]} ${r.code} at ${r.path.join('.')}: ${r.message}`);
    expect(found.filter((f) => /^(error|warn) /.test(f))).toEqual([]);
  });
});
