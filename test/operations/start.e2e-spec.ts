import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMysql, testDatabaseUrl } from '../support/database';
import { mintToken, TEST_ENCRYPTION_KEY, TEST_JWT_SECRET } from '../support/tokens';

// Builds the service and starts it with npm start, several times: up to 150 s a test on two busy
// cores.
jest.setTimeout(600_000);

/**
 * The service as an operator starts it: `npm start` (build only when stale, then the built service),
 * on the suite's database — SQLite in a temporary file, or with TEST_DATABASE_URL the same MariaDB
 * server through a `mysql://` URL (the server, not the scheme, decides the dialect). And a start
 * that cannot work ends with one line naming the problem.
 */
const ROOT = join(__dirname, '..', '..');
const STAMP = join(ROOT, 'dist', '.build-stamp.json');
let dir: string;

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(command: string, args: string[], env: Record<string, string>): Run {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function until<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The children of a process, from /proc (Linux). */
const childrenOf = (pid: number): number[] => readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);

/** The database URL the started service gets: the suite's, with MariaDB addressed as `mysql://`. */
async function serviceDatabaseUrl(): Promise<string> {
  if (!isMysql()) return `sqlite:${join(dir, 'app.sqlite')}`;
  return (await testDatabaseUrl()).replace(/^mariadb:/, 'mysql:');
}

const baseEnv = () => ({ JWT_SECRET: TEST_JWT_SECRET, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, HOST: '127.0.0.1', PORT: '0' });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sales-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start', () => {
  it('serves on the configured database, and SIGTERM to npm reaches the service, which drains and exits', async () => {
    const service = run('npm', ['start', '--silent'], { ...baseEnv(), DATABASE_URL: await serviceDatabaseUrl() });
    try {
      // Cold, the build takes a while on two busy cores.
      const url = await until('the listening line', () => /listening on (http:\/\/\S+)/.exec(service.stdout())?.[1], 150_000);
      expect(service.stdout()).toContain(isMysql() ? '(MariaDB ' : '(SQLite ');

      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      const token = await mintToken({ tenant: 'start-check', role: 'admin' });
      const sources = await fetch(`${url}/api/v1/customization/lead-sources`, { headers: { authorization: `Bearer ${token}` } });
      expect(sources.status).toBe(200);
      expect(((await sources.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);

      const node = childrenOf(service.child.pid!);
      expect(node).toHaveLength(1); // npm runs the service itself: no shell in between
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      await until('the service process to end', () => (alive(node[0]) ? undefined : true), 20_000);
      await expect(fetch(`${url}/health`)).rejects.toThrow();
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('does not rebuild when the build is up to date', async () => {
    const before = statSync(STAMP).mtimeMs;
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.js'), '--if-stale'], { cwd: ROOT });
    expect(statSync(STAMP).mtimeMs).toBe(before);
  });
});

describe('the README walk-through', () => {
  it('works pasted twice in a row after a fresh start, and its trends show the lead', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Get a token and call the API'));
    const block = /```bash\n([\s\S]*?)```/.exec(section)![1];
    expect(block).toContain('npm run -s token');

    const env = { ...baseEnv(), DATABASE_URL: `sqlite:${join(dir, 'walkthrough.sqlite')}` };
    const service = run(process.execPath, [join(ROOT, 'dist', 'main.js')], env);
    try {
      const url = await until('the listening line', () => /listening on (http:\/\/\S+)/.exec(service.stdout())?.[1], 60_000);
      // Every curl of the walk-through must succeed (curl exits 22 on a 4xx/5xx with --fail-with-body);
      // the one probe that may answer 404 (does TRADE_FAIR exist yet?) writes its status instead.
      const script = [
        'set -euo pipefail',
        'curl() { if [[ " $* " == *" -w "* ]]; then command curl "$@"; else command curl --fail-with-body "$@"; fi; echo; }',
        block.replaceAll('http://127.0.0.1:3000', url),
      ].join('\n');
      for (const round of [1, 2]) {
        const out = execFileSync('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
        const answers = out.split('\n').filter((l) => l.startsWith('{'));
        const trends = JSON.parse(answers.find((a) => a.includes('"interval"'))!) as { data: { leads_generated: number }[] };
        const leads = trends.data.reduce((sum, row) => sum + row.leads_generated, 0);
        expect({ round, leads }).toEqual({ round, leads: round });
        const source = answers.map((a) => JSON.parse(a) as { source_code?: string; display_order?: number }).find((a) => a.display_order === 5);
        expect(source?.source_code).toBe('TRADE_FAIR');
      }
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });
});

describe('a start that cannot work ends with one line naming the problem', () => {
  const startWith = async (env: Record<string, string>) => {
    const service = run(process.execPath, [join(ROOT, 'dist', 'main.js')], { ...baseEnv(), ...env });
    const code = await service.exited;
    return { code, lines: service.stderr().trim().split('\n'), stdout: service.stdout() };
  };

  it('no database server at the address', async () => {
    const port = await freePort();
    const r = await startWith({ DATABASE_URL: `mysql://app:app@127.0.0.1:${port}/sales` });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([`Cannot start: nothing accepts connections at 127.0.0.1:${port} (DATABASE_URL): is the database running?`]);
  }, 60_000);

  it('the port is taken', async () => {
    const taken = await listen();
    try {
      const port = (taken.address() as { port: number }).port;
      const r = await startWith({ DATABASE_URL: `sqlite:${join(dir, 'port.sqlite')}`, PORT: String(port) });
      expect(r.code).toBe(1);
      expect(r.lines).toEqual([`Cannot start: port ${port} on 127.0.0.1 is already in use (PORT, HOST)`]);
    } finally {
      taken.close();
    }
  });

  (isMysql() ? it : it.skip)('wrong credentials, and a database that does not exist (MySQL/MariaDB)', async () => {
    const url = new URL(await serviceDatabaseUrl());
    const where = `${url.hostname}:${url.port}`;
    const wrong = new URL(url);
    wrong.password = 'not-the-password';
    const denied = await startWith({ DATABASE_URL: wrong.toString() });
    expect(denied.code).toBe(1);
    expect(denied.lines).toEqual([`Cannot start: the database at ${where} refused user "${url.username}": wrong user or password in DATABASE_URL`]);

    const missing = new URL(url);
    missing.pathname = '/no_such_database_test';
    const unknown = await startWith({ DATABASE_URL: missing.toString() });
    expect(unknown.code).toBe(1);
    expect(unknown.lines).toEqual([
      `Cannot start: database "no_such_database_test" does not exist at ${where}: create it (CREATE DATABASE \`no_such_database_test\` CHARACTER SET utf8mb4)`,
    ]);
  });

  it('a bad configuration lists every problem', async () => {
    const r = await startWith({ PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(r.code).toBe(1);
    expect(r.lines[0]).toBe('Invalid configuration:');
    expect(r.lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual(expect.arrayContaining(['- PORT', '- LOG_LEVEL']));
  });
});

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listen();
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}
