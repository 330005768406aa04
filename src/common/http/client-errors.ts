import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppError } from '../errors/app-error';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details.filter';
import { toProblem } from '../errors/to-problem';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a control character in a header, a
 * raw non-ASCII byte in the URL, headers over 16 KiB, a request that never finishes arriving). Node
 * emits `clientError` with the socket only: there is no request, no hook runs, and Fastify's default
 * handler writes its own JSON. This one writes the service's problem document instead, with a request
 * id and the security headers of every other answer, logs one warn line, and closes the connection
 * (the parser cannot go on after an error). `inject` never reaches the parser: the tests use a socket.
 */

/** What helmet sends on every other answer (app.setup.ts); test/common/http.e2e-spec.ts compares them. */
export const PARSER_ERROR_SECURITY_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Origin-Agent-Cluster': '?1',
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-DNS-Prefetch-Control': 'off',
  'X-Download-Options': 'noopen',
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Permitted-Cross-Domain-Policies': 'none',
  'X-XSS-Protection': '0',
};

const FRAMING = new Set([
  'HPE_INVALID_CONTENT_LENGTH',
  'HPE_UNEXPECTED_CONTENT_LENGTH',
  'HPE_INVALID_TRANSFER_ENCODING',
  'HPE_INVALID_CHUNK_SIZE',
  'HPE_CHUNK_EXTENSIONS_OVERFLOW',
]);

/** The problem a parser error answers (pure; src/common/http/client-errors.spec.ts). */
export function parserErrorToAppError(code: string | undefined): AppError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('HEADERS_TOO_LARGE', `The request line and headers exceed ${Math.floor(maxHeaderSize / 1024)} KiB`);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('REQUEST_TIMEOUT', 'The request did not arrive whole in time');
    case 'HPE_INVALID_HEADER_TOKEN':
      return new AppError('VALIDATION_FAILED', 'A header name or value contains a character HTTP does not allow (such as a control character)');
    case 'HPE_INVALID_URL':
      return new AppError(
        'VALIDATION_FAILED',
        'The URL contains a character HTTP does not allow: percent-encode anything outside printable ASCII (é as %C3%A9)',
      );
    default:
      return new AppError(
        'VALIDATION_FAILED',
        code !== undefined && FRAMING.has(code) ? 'The request body framing (Content-Length, Transfer-Encoding) is not valid' : 'The request is not valid HTTP',
      );
  }
}

const SANE_REQUEST_ID = /\r\nx-request-id:[ \t]*([\w.:-]{1,128})[ \t]*\r\n/i;

/** The caller's X-Request-Id when the bytes the parser held show a sane one (as genReqId), else a UUID. */
function requestIdOf(rawPacket: unknown): string {
  const text = Buffer.isBuffer(rawPacket) ? rawPacket.toString('latin1') : '';
  return SANE_REQUEST_ID.exec(text)?.[1] ?? randomUUID();
}

/** The whole answer, as bytes for the socket. */
export function parserErrorResponse(error: AppError, requestId: string): string {
  const { problem, headers } = toProblem(error);
  const body = JSON.stringify({ ...problem, instance: requestId });
  const lines = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ...Object.entries(PARSER_ERROR_SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}`),
    'Cache-Control: no-store',
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const logger = new Logger('HttpParser');

/** Fastify's `clientErrorHandler` (createFastifyAdapter). */
export function answerClientError(error: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  // The client went away: nobody to answer (as Node and Fastify do).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const requestId = requestIdOf(error.rawPacket);
  const problem = parserErrorToAppError(error.code);
  logger.warn(
    { requestId, status: problem.getStatus(), code: problem.code, parserError: error.code, remoteAddress: socket.remoteAddress },
    'request refused by the HTTP parser',
  );
  // As Node's own handler: no answer in the middle of another response on the same connection.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) socket.write(parserErrorResponse(problem, requestId));
  socket.destroy(error);
}
