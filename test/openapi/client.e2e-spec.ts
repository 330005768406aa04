import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApi, TestApi } from '../support/app';
import { newTenantId } from '../support/tenants';
import { mintToken } from '../support/tokens';

// Generates a TypeScript client and compiles it with tsc: 60 s on two busy cores.
jest.setTimeout(180_000);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

/**
 * A client generated from the served document (openapi-typescript for the types, openapi-fetch for the
 * calls) compiles under `tsc --strict` and works against the listening app: it lists sources, records
 * a lead, changes it with If-Match (and once without: the header is optional) and reads a source's
 * performance. Type errors here are what a frontend team would meet.
 */
const PROGRAM = `
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

const [baseUrl, token] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl, headers: { Authorization: \`Bearer \${token}\` } });
const API = '/api/v1/customization';

async function main(): Promise<void> {
  const sources = await client.GET(\`\${API}/lead-sources\`, { params: { query: { limit: 10, is_active: true } } });
  if (!sources.data) throw new Error(\`list: \${sources.response.status}\`);
  const codes: string[] = sources.data.data.map((s) => s.source_code);

  const created = await client.POST(\`\${API}/leads\`, {
    body: { source_code: 'WEBSITE', expected_value: 1200, created_at: '2026-03-02T09:00:00Z' },
  });
  if (!created.data) throw new Error(\`create: \${created.response.status} \${JSON.stringify(created.error)}\`);
  const lead = created.data;
  const etag = created.response.headers.get('ETag') ?? '';

  const converted = await client.PATCH(\`\${API}/leads/{id}\`, {
    params: { path: { id: lead.id }, header: { 'If-Match': etag } },
    body: { status: 'converted', converted_value: 1500 },
  });
  const stale = await client.PATCH(\`\${API}/leads/{id}\`, {
    params: { path: { id: lead.id }, header: { 'If-Match': etag } },
    body: { expected_value: 1300 },
  });
  // If-Match is optional: no header at all is a plain write.
  const renamed = await client.PATCH(\`\${API}/lead-sources/{source_code}\`, {
    params: { path: { source_code: 'WEBSITE' } },
    body: { source_name: 'Web site' },
  });

  const performance = await client.GET(\`\${API}/lead-sources/{source_code}/performance\`, {
    params: { path: { source_code: 'WEBSITE' }, query: { start_date: '2026-03-01', end_date: '2026-03-31' } },
  });
  if (!performance.data) throw new Error(\`performance: \${performance.response.status}\`);
  const figures: { leads_generated: number; leads_converted: number; revenue: number; conversion_rate: number | null } = performance.data;

  const stalePrecondition: string | undefined = stale.error?.code;
  process.stdout.write(
    JSON.stringify({
      codes,
      leadId: lead.id,
      etag,
      converted: { status: converted.response.status, version: converted.data?.version, lead_status: converted.data?.status },
      stale: { status: stale.response.status, code: stalePrecondition },
      renamed: { status: renamed.response.status, name: renamed.data?.source_name },
      performance: { leads_generated: figures.leads_generated, leads_converted: figures.leads_converted, revenue: figures.revenue, conversion_rate: figures.conversion_rate },
    }),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(String(e));
  process.exit(1);
});
`;

describe('OpenAPI document: a generated TypeScript client', () => {
  let api: TestApi;
  let dir: string;
  let baseUrl: string;
  beforeAll(async () => {
    api = await startTestApi();
    await api.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    // Inside node_modules, so that the program finds openapi-fetch the way a project would.
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'openapi-client-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  });

  it('compiles with tsc --strict and lists sources, creates a lead, PATCHes it with If-Match and reads a performance', async () => {
    const res = await api.raw().get('/docs-json');
    expect(res.statusCode).toBe(200);
    writeFileSync(join(dir, 'openapi.json'), res.body);
    // --default-non-nullable false: create bodies declare the server's defaults (`default`), which
    // openapi-typescript would otherwise make required in every schema it does not see inline.
    await run(bin('openapi-typescript'), [join(dir, 'openapi.json'), '--output', join(dir, 'schema.d.ts'), '--default-non-nullable', 'false'], { cwd: dir });
    writeFileSync(join(dir, 'client.mts'), PROGRAM);
    await run(
      bin('tsc'),
      [
        '--strict',
        '--noUncheckedIndexedAccess',
        '--target',
        'es2022',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--skipLibCheck',
        '--types',
        'node',
        '--typeRoots',
        join(ROOT, 'node_modules', '@types'),
        join(dir, 'client.mts'),
      ],
      { cwd: dir },
    ).catch((e: { stdout?: string; stderr?: string }) => {
      throw new Error(`tsc --strict failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    });

    const token = await mintToken({ tenant: newTenantId('client'), role: 'admin' });
    const { stdout } = await run(process.execPath, [join(dir, 'client.mjs'), baseUrl, token], { cwd: dir });
    const out = JSON.parse(stdout);
    expect(out.codes).toEqual(['WEBSITE', 'EMAIL', 'SOCIAL', 'REFERRAL', 'UNMAPPED']);
    expect(out.etag).toBe('"1"');
    expect(out.converted).toEqual({ status: 200, version: 2, lead_status: 'converted' });
    expect(out.stale).toEqual({ status: 412, code: 'PRECONDITION_FAILED' });
    expect(out.renamed).toEqual({ status: 200, name: 'Web site' });
    expect(out.performance).toEqual({ leads_generated: 1, leads_converted: 1, revenue: 1500, conversion_rate: 100 });
  });
});
