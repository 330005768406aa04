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

void bootstrap();
