process.env.TZ = 'UTC';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter } from './app.setup';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { DatabaseUnavailableError, probeDatabase } from './database/probe';

async function bootstrap(): Promise<void> {
  const loaded = loadConfig();
  const { config: database, server } = await probeDatabase(loaded.database);
  const config: AppConfig = Object.freeze({ ...loaded, database });
  // abortOnError: false makes a failing module init reject here (one line below) instead of
  // aborting the process with a stack trace.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), createFastifyAdapter(), {
    bufferLogs: true,
    abortOnError: false,
  });
  await configureApp(app, config);
  await app.listen(config.port, config.host);
  exitIfShutdownHangs();

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  process.stdout.write(
    [
      `Sales customization service listening on ${url} (${server})`,
      `  API docs:  ${url}/docs   (OpenAPI: ${url}/docs-json)`,
      ...(database.type === 'mysql' && database.replicaUrls
        ? [`  Analytics: read from ${database.replicaUrls.length} read replica(s) (DATABASE_REPLICA_URLS); everything else from the primary`]
        : []),
      config.devSecretsFile
        ? `  A token:   npm run token -- --tenant acme --role admin   (signed with the dev secret in ${config.devSecretsFile})`
        : '  Tokens:    issued by your identity service (JWT_SECRET / JWT_PUBLIC_KEY)',
      '',
    ].join('\n'),
  );
}

/**
 * A start that cannot work ends with one line naming the problem and exit code 1: a bad
 * configuration lists each problem; anything else (database, port, migration) is one sentence.
 */
function startFailure(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  if (e instanceof DatabaseUnavailableError) return `Cannot start: ${e.message}`;
  const error = e as { code?: string; message?: string; address?: string; port?: number };
  if (error.code === 'EADDRINUSE') return `Cannot start: port ${error.port} on ${error.address} is already in use (PORT, HOST)`;
  if (error.code === 'EADDRNOTAVAIL') return `Cannot start: ${error.address} is not an address of this machine (HOST)`;
  if (error.code === 'EACCES' && error.port !== undefined) return `Cannot start: no permission to listen on port ${error.port} (PORT)`;
  return `Cannot start: ${(error.message ?? String(e)).split('\n')[0]}`;
}

/**
 * The shutdown hooks (app.setup.ts) drain requests and close the pool, then exit 0. Should that hang
 * (a request stuck on a database lock), the process still ends SHUTDOWN_TIMEOUT_MS after the signal,
 * with code 1, before an orchestrator's own grace period runs out.
 */
const SHUTDOWN_TIMEOUT_MS = 20_000;
function exitIfShutdownHangs(): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS} ms of ${signal}: exiting\n`);
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
}

bootstrap().catch((e: unknown) => {
  process.stderr.write(`${startFailure(e)}\n`);
  process.exit(1);
});
