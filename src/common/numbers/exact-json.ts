import { randomUUID } from 'node:crypto';

/**
 * A JSON number the service answers with its exact decimal digits, for sums and rates that a double
 * cannot hold to the last digit (a money total above about 7 × 10^13, a count above 2^53 − 1).
 * JSON numbers have no size limit; a client that parses them into doubles (JavaScript's JSON.parse)
 * reads the nearest double, one that keeps the source text (JSON.parse's `context.source`, a decimal
 * or big-number parser) reads it exactly. Values a double holds exactly stay plain numbers
 * (`exactNumber`), so this type only appears past those sizes.
 *
 * Inside the process it behaves like the nearest number (`valueOf`, and `toJSON` for JSON.stringify:
 * logs, the audit log); the HTTP reply serializer (`stringifyExact`) writes its digits.
 */
export class ExactNumber {
  constructor(readonly digits: string) {
    if (!/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/.test(digits)) throw new Error(`ExactNumber: ${digits} is not a canonical decimal`);
  }

  valueOf(): number {
    return Number(this.digits);
  }

  toString(): string {
    return this.digits;
  }

  toJSON(): number | string {
    return exactMode ? MARK + this.digits : Number(this.digits);
  }
}

/** A number in a response: a plain number when a double holds it exactly, else its exact digits. */
export type JsonNumber = number | ExactNumber;

/** The JSON number of a canonical decimal text (`-12.5`, `1000`): a number when it survives a double. */
export function exactNumber(digits: string): JsonNumber {
  const n = Number(digits);
  return String(n) === digits ? n : new ExactNumber(digits);
}

let exactMode = false;
/** Written by ExactNumber.toJSON during stringifyExact only; JSON.stringify escapes the NUL, user text cannot forge the id. */
const MARK = `\u0000exact-${randomUUID()}:`;
const MARKED = new RegExp(`"${JSON.stringify(MARK).slice(1, -1).replace(/\\/g, '\\\\')}(-?[0-9.]+)"`, 'g');

/**
 * JSON.stringify, except that ExactNumber values are written as their exact digits (a JSON number).
 * Synchronous, so the mode it sets can never leak into another serialization.
 */
export function stringifyExact(value: unknown): string {
  exactMode = true;
  let text: string;
  try {
    text = JSON.stringify(value);
  } finally {
    exactMode = false;
  }
  return text !== undefined && text.includes('exact-') ? text.replace(MARKED, '$1') : text;
}
