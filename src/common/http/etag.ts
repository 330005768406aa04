import { FastifyReply } from 'fastify';
import { AppError } from '../errors/app-error';

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
