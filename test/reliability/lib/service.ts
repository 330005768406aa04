import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, ENCRYPTION_KEY, JWT_SECRET, OUT_DIR, ROOT } from './env';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((c) => c.kill('SIGKILL')));

/** Which build runs and where its log goes: by default the reliability build and OUT_DIR. */
export interface ServiceFiles {
  /** The compiled entry point (default BUILD_DIR/main.js; the scale harness runs dist/main.js). */
  entry?: string;
  logDir?: string;
}

/**
 * The built service (`node main.js` of the compiled sources) as a child process, in production mode,
 * on 127.0.0.1:port. Its stdout and stderr go to <logDir>/<name>.service.log.
 */
export class Service {
  readonly exited: Promise<Exit>;
  private exit?: Exit;

  private constructor(
    readonly name: string,
    readonly port: number,
    readonly child: ChildProcess,
    private readonly logDir: string,
  ) {
    live.add(child);
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        live.delete(child);
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
  }

  static async start(name: string, port: number, databaseUrl: string, env: Record<string, string> = {}, files: ServiceFiles = {}): Promise<Service> {
    const logDir = files.logDir ?? OUT_DIR;
    mkdirSync(logDir, { recursive: true });
    const log = createWriteStream(join(logDir, `${name}.service.log`), { flags: 'a' });
    const child = spawn(process.execPath, [files.entry ?? join(BUILD_DIR, 'main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        TZ: 'UTC',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        JWT_SECRET,
        ENCRYPTION_KEY,
        RATE_LIMIT_PER_MINUTE: '10000000',
        LOG_LEVEL: process.env.RELIABILITY_LOG_LEVEL ?? 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const service = new Service(name, port, child, logDir);
    try {
      await service.waitUntil('/health/ready', 60_000);
    } catch (e) {
      // Never leave a service behind that did not come up: it would hold its port and its database.
      service.signal('SIGKILL');
      await service.exited;
      throw e;
    }
    return service;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Polls a route until it answers 200 (or the process exits, or the time is up). */
  async waitUntil(path: string, timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      if (!this.running) throw new Error(`service ${this.name} exited (${JSON.stringify(this.exit)}); see its log in ${this.logDir}`);
      try {
        const res = await fetch(this.base + path, { signal: AbortSignal.timeout(3000) });
        await res.arrayBuffer();
        if (res.status === 200) return Date.now() - started;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > timeoutMs) throw new Error(`service ${this.name}: ${path} not 200 within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves with the exit, or with undefined when the process is still running after timeoutMs. */
  async waitExit(timeoutMs: number): Promise<Exit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM, then SIGKILL after 15 s: always leaves no process behind. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    if (!(await this.waitExit(15_000))) {
      this.signal('SIGKILL');
      await this.exited;
    }
  }
}
