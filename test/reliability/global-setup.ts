import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BUILD_DIR, freePort, MARIADB_PORTS, mariadbDir, mariadbPort, OUT_DIR, portIsFree, ROOT, SECONDS } from './lib/env';
import { resetFigures } from './lib/figures';
import { mariadb } from './lib/mariadb';

const run = promisify(execFile);

/** Compiles the service (as `npm run build` does, into BUILD_DIR) and starts the durable MariaDB. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  // A folder of the run's own (unless given: then a leftover there is stopped first), a free port.
  const ownDir = process.env.RELIABILITY_MARIADB_DIR === undefined;
  process.env.RELIABILITY_MARIADB_DIR = mariadbDir();
  if (!ownDir) await mariadb('stop'); // a leftover of an interrupted run
  if (process.env.RELIABILITY_MARIADB_PORT === undefined) {
    process.env.RELIABILITY_MARIADB_PORT = String(await freePort(MARIADB_PORTS, 'MariaDB'));
  } else if (!(await portIsFree(mariadbPort()))) {
    throw new Error(`reliability: RELIABILITY_MARIADB_PORT ${mariadbPort()} is taken on 127.0.0.1`);
  }
  process.stdout.write(`\nreliability: RELIABILITY_SECONDS=${SECONDS}, MariaDB ${mariadbDir()}:${mariadbPort()}, output in ${OUT_DIR}\n`);
  resetFigures();
  // RELIABILITY_SKIP_BUILD=1 reuses the last build (to iterate on a scenario, or to run a modified build).
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (process.env.RELIABILITY_SKIP_BUILD !== '1') rmSync(BUILD_DIR, { recursive: true, force: true });
  const build =
    process.env.RELIABILITY_SKIP_BUILD === '1'
      ? Promise.resolve()
      : run(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', BUILD_DIR, '--tsBuildInfoFile', join(BUILD_DIR, '.tsbuildinfo')], {
          cwd: ROOT,
          timeout: 300_000,
        });
  try {
    process.env.RELIABILITY_DATABASE_URL = await mariadb('start');
    await build;
  } catch (e) {
    await mariadb('stop').catch(() => undefined);
    throw e;
  }
  process.stdout.write(`reliability: service built and MariaDB up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
