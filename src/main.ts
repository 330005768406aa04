process.env.TZ = 'UTC';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter } from './app.setup';
import { ConfigError, loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config), createFastifyAdapter(), {
    bufferLogs: true,
  });
  await configureApp(app, config);
  await app.listen(config.port, config.host);
  exitIfShutdownHangs();

  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const db = config.database.type === 'sqlite' ? `SQLite ${config.database.path}` : 'MySQL';
  process.stdout.write(
    [
      `Sales customization service listening on ${url} (${db})`,
      `  API docs:  ${url}/docs   (OpenAPI: ${url}/docs-json)`,
      config.devSecretsFile
        ? `  A token:   npm run token -- --tenant acme --role admin   (signed with the dev secret in ${config.devSecretsFile})`
        : '  Tokens:    issued by your identity service (JWT_SECRET / JWT_PUBLIC_KEY)',
      '',
    ].join('\n'),
  );
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

void bootstrap();
