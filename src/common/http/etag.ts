import type { FastifyReply } from 'fastify';
import { AppError, preconditionFailed } from '../errors/app-error';

/** `ETag: "<version>"` on every single-row answer. */
export const setEtag = (reply: FastifyReply, version: number) => reply.header('etag', `"${version}"`);

/**
 * Parses If-Match: `"3"`, `W/"3"` or `3`. `*` and absence mean "no precondition". A value that names no
 * version can never match, so it answers 412 like any stale one.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0] : header).trim();
  if (value === '' || value === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match) throw new AppError('PRECONDITION_FAILED', 'If-Match must name a version, e.g. "3"');
  return Number(match[1]);
}

/**
 * The one stale-write check: a write that named a version (If-Match) proceeds only while the row it
 * locked is still at that version; 412 naming the current one otherwise. No If-Match, no check.
 */
export function assertVersion(current: { version: number }, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== current.version) throw preconditionFailed(current.version);
}
