import { HttpException } from '@nestjs/common';
import { AppError, FieldError } from './app-error';
import { ERROR_STATUS, ERROR_TITLE, ErrorCode } from './error-codes';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
}

export interface ProblemWithHeaders {
  problem: Problem;
  headers: Record<string, string>;
}

const make = (code: ErrorCode, detail: string, errors?: FieldError[]): Problem => ({
  type: `https://errors.sales-customization/${code.toLowerCase().replace(/_/g, '-')}`,
  title: ERROR_TITLE[code],
  status: ERROR_STATUS[code],
  detail,
  code,
  ...(errors && errors.length > 0 ? { errors } : {}),
});

const HTTP_STATUS_TO_CODE: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Seconds a client should wait before retrying a 503. */
const RETRY_AFTER_SECONDS = '5';

/** Driver error codes that mean "the database cannot be reached right now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'POOL_CLOSED',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  // Transient contention: the transaction was rolled back and can simply be sent again.
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
]);

function driverCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps anything thrown into a problem document. Pure; never exposes SQL, stack traces or driver text.
 */
export function toProblem(error: unknown): ProblemWithHeaders {
  if (error instanceof AppError) {
    return { problem: make(error.code, error.detail, error.errors), headers: error.headers ?? {} };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = HTTP_STATUS_TO_CODE[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    const detail = code === 'INTERNAL' ? 'The server failed to answer' : error.message;
    // A 503 (e.g. the readiness check) promises a retry, as every SERVICE_UNAVAILABLE does.
    const headers: Record<string, string> = code === 'SERVICE_UNAVAILABLE' ? { 'retry-after': RETRY_AFTER_SECONDS } : {};
    return { problem: make(code, status === 404 || status === 405 ? 'No such route' : detail), headers };
  }
  const dbCode = driverCode(error);
  if (dbCode === 'ER_DUP_ENTRY' || dbCode === 'SQLITE_CONSTRAINT_UNIQUE' || dbCode === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return { problem: make('DUPLICATE_CODE', 'A row with the same code already exists'), headers: {} };
  }
  // mysql2's pool queue overflow carries no code, only its message.
  const queueFull = error instanceof Error && /^Queue limit reached/.test(error.message);
  if ((dbCode && UNAVAILABLE_CODES.has(dbCode)) || queueFull) {
    return {
      problem: make('SERVICE_UNAVAILABLE', 'The database is unreachable; try again shortly'),
      headers: { 'retry-after': RETRY_AFTER_SECONDS },
    };
  }
  // Errors raised by Fastify itself (body parser, content type) carry a statusCode.
  const fastify = error as { statusCode?: unknown; code?: unknown };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    const code = HTTP_STATUS_TO_CODE[status] ?? 'VALIDATION_FAILED';
    const detail =
      code === 'PAYLOAD_TOO_LARGE'
        ? 'The request body exceeds the 1 MiB limit'
        : code === 'UNSUPPORTED_MEDIA_TYPE'
          ? 'Request bodies must be application/json'
          : 'The request body is not valid JSON';
    return { problem: make(code, detail), headers: {} };
  }
  return { problem: make('INTERNAL', 'The server failed to answer'), headers: {} };
}
