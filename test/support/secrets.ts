import { randomBytes } from 'node:crypto';

/**
 * Secrets must never reach a log line or a response (API.md §5; SECURITY.md). Every app the e2e
 * harness starts (test/support/app.ts) logs at trace level into a sink that scans each line, and
 * every response its clients see is scanned too. What is a secret: the JWT secret and
 * ENCRYPTION_KEY each app runs with, every token minted through test/support/tokens.ts, every
 * integration key a test sends, plus anything shaped like a JWT or like the integration keys the
 * security specs make. test/support/secrets-check.ts fails a test file with a finding.
 */

/** Shape of the integration keys `integrationKey()` makes, so that any copy of one is found. */
export const INTEGRATION_KEY_SHAPE = /ik_live_[0-9a-f]{24}/;
/** A JWT anywhere in a text (two base64url JSON segments and a third). */
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{6,}\.eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/;
/** Runs of base64url characters long enough to be a token's payload or signature segment. */
const SEGMENT_RUN = /[A-Za-z0-9_-]{16,}/g;
const MAX_FINDINGS = 50;

/**
 * Finds secrets in text. Literals (the JWT secret, the encryption key in each encoding, integration
 * keys) are searched as substrings; tokens by their payload and signature segments, plus anything
 * shaped like a JWT or like one of our integration keys. A finding keeps an excerpt with every known
 * secret replaced by its label, so that reporting a leak does not leak it again.
 */
export class SecretScanner {
  private readonly literals = new Map<string, string>();
  private readonly segments = new Set<string>();
  readonly findings: string[] = [];
  /** How many texts were scanned (to show the check was not vacuous, and to measure its cost). */
  scanned = 0;

  addLiteral(value: string, label: string): void {
    if (value.length >= 8 && !this.literals.has(value)) this.literals.set(value, label);
  }

  addToken(token: string): void {
    // The header segment is the same for every HS256 token; payload and signature identify this one.
    for (const segment of token.split('.').slice(1)) if (segment.length >= 16) this.segments.add(segment);
  }

  /** A key of bytes: registered in every encoding a leak could use. */
  addKey(key: Buffer, label: string): void {
    this.addLiteral(key.toString('base64'), label);
    this.addLiteral(key.toString('base64url'), `${label} (base64url)`);
    this.addLiteral(key.toString('hex'), `${label} (hex)`);
  }

  /** Every string under a field named `integration_key`, at any depth of a request body. */
  addIntegrationKeysOf(body: unknown): void {
    if (Array.isArray(body)) for (const item of body) this.addIntegrationKeysOf(item);
    else if (body !== null && typeof body === 'object') {
      for (const [name, value] of Object.entries(body)) {
        if (name === 'integration_key' && typeof value === 'string') {
          this.addLiteral(value, 'an integration key');
          this.addLiteral(JSON.stringify(value).slice(1, -1), 'an integration key (JSON-escaped)');
        } else if (value !== null && typeof value === 'object') this.addIntegrationKeysOf(value);
      }
    }
  }

  /** A fresh integration key of the recognisable shape, registered as a secret. */
  integrationKey(): string {
    const key = `ik_live_${randomBytes(12).toString('hex')}`;
    this.addLiteral(key, 'an integration key');
    return key;
  }

  scan(text: string, where: string): void {
    if (!text) return;
    this.scanned += 1;
    let found: Set<string> | undefined;
    const note = (what: string) => (found ??= new Set()).add(what);
    for (const [value, label] of this.literals) if (text.includes(value)) note(label);
    if (this.segments.size > 0) {
      SEGMENT_RUN.lastIndex = 0;
      for (let m = SEGMENT_RUN.exec(text); m; m = SEGMENT_RUN.exec(text)) if (this.segments.has(m[0])) note('a bearer token');
    }
    if (text.includes('eyJ') && JWT_SHAPE.test(text)) note('something shaped like a JWT');
    if (text.includes('ik_live_') && INTEGRATION_KEY_SHAPE.test(text)) note('something shaped like an integration key');
    if (!found) return;
    for (const what of found) if (this.findings.length < MAX_FINDINGS) this.findings.push(`${what} in ${where}: ${this.redact(text)}`);
  }

  /** The text with every known secret and secret-shaped run replaced by «label», cut to 300 characters around the first. */
  redact(text: string): string {
    let out = text;
    for (const [value, label] of this.literals) out = out.split(value).join(`«${label}»`);
    out = out.replace(SEGMENT_RUN, (run) => (this.segments.has(run) ? '«a bearer token segment»' : run));
    out = out.replace(new RegExp(JWT_SHAPE.source, 'g'), '«a JWT»').replace(new RegExp(INTEGRATION_KEY_SHAPE.source, 'g'), '«an integration key»');
    if (out.length <= 300) return out;
    const from = Math.max(0, out.indexOf('«') - 100);
    return `${from > 0 ? '…' : ''}${out.slice(from, from + 300)}…`;
  }

  /** Forgets the findings (a test that leaks on purpose, after asserting it was caught). */
  clearFindings(): void {
    this.findings.length = 0;
  }
}

/** The scanner of this test file (Jest loads modules once per file): the harness and helpers register here. */
export const secrets = new SecretScanner();

/** Throws with every finding so far (redacted), and forgets them: each is reported once. */
export function assertNoSecretLeaks(): void {
  if (secrets.findings.length === 0) return;
  const findings = secrets.findings.splice(0);
  throw new Error(`A secret reached a log line or a response (${findings.length} finding(s), secrets shown as «label»):\n- ${findings.join('\n- ')}`);
}
