import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DevSecrets {
  jwt_secret: string;
  encryption_key: string;
}

export const DEFAULT_DEV_SECRETS_FILE = 'data/dev-secrets.json';

/**
 * Development only: secrets generated once and kept beside the embedded database, so that
 * `npm start` works with no set-up and `npm run token` signs tokens the running service accepts.
 * Production never reaches this (loadConfig refuses to start without real secrets).
 */
export function loadOrCreateDevSecrets(file = DEFAULT_DEV_SECRETS_FILE): DevSecrets {
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
    if (parsed.jwt_secret && parsed.encryption_key) return parsed as DevSecrets;
  }
  const secrets: DevSecrets = {
    jwt_secret: randomBytes(32).toString('base64url'),
    encryption_key: randomBytes(32).toString('base64'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}
