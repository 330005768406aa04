import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Format version of a sealed value; a new key scheme (key ids, rotation) gets a new prefix. */
const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The 32-byte key integration keys are sealed with (the module's `encryptionKey`). */
export const ENCRYPTION_KEY = Symbol('ENCRYPTION_KEY');

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Authenticated encryption of small secrets at rest (integration keys): AES-256-GCM with a random
 * 12-byte IV per value and a 16-byte tag. A sealed value is text, `v1.<iv>.<tag>.<ciphertext>` (each
 * base64url), so it fits a text column and names its own format. `context` is bound as associated
 * data: a value sealed for one purpose or tenant does not open under another, even with the same key.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new SecretBoxError(`ENCRYPTION_KEY must be ${KEY_BYTES} bytes (base64-encoded), got ${key?.length ?? 0} bytes`);
    }
    this.key = Buffer.from(key);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** Throws SecretBoxError when the value is malformed, was sealed under another key or context, or was altered. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('not a sealed value of a known version');
    const [, ivText, tagText, bodyText] = parts;
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('malformed sealed value');
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the sealed value does not authenticate under this key and context');
    }
  }
}
