import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../config/app-config';
import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret and never shows it in the sealed text', () => {
    const sealed = box.seal('sk_live_ABCDEF123456', 'ctx');
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain('sk_live');
    expect(box.open(sealed, 'ctx')).toBe('sk_live_ABCDEF123456');
  });

  it('uses a fresh IV for every value', () => {
    const a = box.seal('same', 'ctx');
    const b = box.seal('same', 'ctx');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('refuses a value altered, sealed under another key, or under another context', () => {
    const sealed = box.seal('secret-value', 'tenant-a');
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'), 'tenant-a')).toThrow(SecretBoxError);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'tenant-a')).toThrow(SecretBoxError);
    expect(() => box.open(sealed, 'tenant-b')).toThrow(SecretBoxError);
    expect(() => box.open('v2.a.b.c', 'tenant-a')).toThrow('known version');
    expect(() => box.open('v1.AAAA.AAAA.AAAA', 'tenant-a')).toThrow('malformed');
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('must be 32 bytes');
    expect(() => new SecretBox(Buffer.alloc(0))).toThrow('must be 32 bytes');
  });
});

describe('ENCRYPTION_KEY at start', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) } as NodeJS.ProcessEnv;

  const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
    try {
      loadConfig(env);
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
    return [];
  };

  it('stops a production start without a key, with a clear message', () => {
    expect(problemsOf(production)).toEqual([expect.stringMatching(/^ENCRYPTION_KEY: .*32 bytes, base64/)]);
  });

  it('stops a start with a key of the wrong length or encoding', () => {
    for (const key of [randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), 'not base64 at all']) {
      expect(problemsOf({ ...production, ENCRYPTION_KEY: key })).toEqual([expect.stringContaining('ENCRYPTION_KEY')]);
      expect(problemsOf({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40), ENCRYPTION_KEY: key })).toEqual([expect.stringContaining('ENCRYPTION_KEY')]);
    }
  });

  it('accepts a 32-byte base64 key, which then opens a SecretBox', () => {
    const config = loadConfig({ ...production, ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    expect(config.encryptionKey).toHaveLength(32);
    expect(() => new SecretBox(config.encryptionKey)).not.toThrow();
  });
});
