import { HttpException } from '@nestjs/common';
import { AppError, FieldError, Problem, problemBody, problemType, ProblemExtensions } from './app-error';
import { ErrorCode } from './error-codes';

export { Problem, problemType };

export interface ProblemWithHeaders {
  problem: Problem;
  headers: Record<string, string>;
}

const make = (code: ErrorCode, detail: string, errors?: FieldError[], extensions?: ProblemExtensions): Problem => problemBody(code, detail, errors, extensions);

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
  // No pool connection became free within DB_QUERY_TIMEOUT_MS (src/database/data-source.ts).
  'POOL_ACQUIRE_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  // Transient contention: the transaction was rolled back and can simply be sent again.
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
]);

/** A statement cut off by the server's statement time limit (DB_QUERY_TIMEOUT_MS). */
const TIMEOUT_CODES = new Set(['ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT']);
/** MariaDB ER_STATEMENT_TIMEOUT (mysql2 has no name for it), MySQL ER_QUERY_TIMEOUT (5.7.8+ and 8), MySQL 5.7.4-5.7.7's. */
const TIMEOUT_ERRNOS = new Set([1969, 3024, 1907]);
const TIMEOUT_TEXT = /max(imum)?[ _]statement[ _]execution[ _]time exceeded|max_statement_time exceeded|max_execution_time exceeded/i;

/**
 * mysql2 errors that carry no code: a connection that died (fatal: every later command on it fails
 * with "Can't add new command when connection is in closed state"), a closed pool, the pool's queue
 * overflow.
 */
const UNAVAILABLE_TEXT =
  /^(Queue limit reached|Pool is closed|No connections available|Can't add new command when connection is in closed state|Can't write in closed state)/;

/**
 * MySQL/MariaDB strict mode refusing a value past its column's size: ER_DATA_TOO_LONG (1406, a text),
 * ER_WARN_DATA_OUT_OF_RANGE (1264, a number), ER_DATA_OUT_OF_RANGE (1690, arithmetic on a counter),
 * ER_TRUNCATED_WRONG_VALUE_FOR_FIELD (1366, a text cut inside a multi-byte character). Columns are
 * sized for what the validators accept (test/common/largest-bodies.e2e-spec.ts); should one still
 * be exceeded, the client is told which field instead of getting a 500.
 */
const TOO_LARGE_ERRNOS = new Set([1406, 1264, 1690, 1366]);
/** The column a "too large" message names: `'col'`, or MariaDB's `` `db`.`table`.`col` ``. */
const COLUMN_IN_MESSAGE = /for column (?:`[^`]*`\.)*[`']([A-Za-z0-9_]+)[`']/;

interface DriverFields {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  message?: unknown;
}

/** The error and, for TypeORM's QueryFailedError, the driver error it wraps. */
function layers(error: unknown): DriverFields[] {
  if (typeof error !== 'object' || error === null) return [];
  const driver = (error as { driverError?: unknown }).driverError;
  return typeof driver === 'object' && driver !== null ? [driver as DriverFields, error as DriverFields] : [error as DriverFields];
}

function driverCode(error: unknown): string | undefined {
  const code = layers(error).find((l) => typeof l.code === 'string')?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * InnoDB chose this transaction as a deadlock's victim and rolled all of it back (ER_LOCK_DEADLOCK, 1213):
 * sending the same transaction again is safe and is what MySQL asks of applications.
 */
export function isDeadlock(error: unknown): boolean {
  return driverCode(error) === 'ER_LOCK_DEADLOCK' || layers(error).some((l) => l.errno === 1213);
}

/** The column a value was too large for (undefined when the error is another one). */
function tooLargeColumn(error: unknown): string | null | undefined {
  const layer = layers(error).find((l) => typeof l.errno === 'number' && TOO_LARGE_ERRNOS.has(l.errno));
  if (!layer) return undefined;
  return typeof layer.message === 'string' ? (COLUMN_IN_MESSAGE.exec(layer.message)?.[1] ?? null) : null;
}

function isStatementTimeout(error: unknown): boolean {
  return layers(error).some(
    (l) =>
      (typeof l.code === 'string' && TIMEOUT_CODES.has(l.code)) ||
      (typeof l.errno === 'number' && TIMEOUT_ERRNOS.has(l.errno)) ||
      (typeof l.message === 'string' && TIMEOUT_TEXT.test(l.message)),
  );
}

/** The database could not be reached or dropped the connection (answered 503 when nothing else can answer). */
export function isUnavailable(error: unknown): boolean {
  return layers(error).some(
    (l) =>
      (typeof l.code === 'string' && UNAVAILABLE_CODES.has(l.code)) ||
      l.fatal === true ||
      (typeof l.message === 'string' && UNAVAILABLE_TEXT.test(l.message.replace(/^QueryFailedError: /, ''))),
  );
}

const unavailable = (detail: string): ProblemWithHeaders => ({
  problem: make('SERVICE_UNAVAILABLE', detail),
  headers: { 'retry-after': RETRY_AFTER_SECONDS },
});

/**
 * Maps anything thrown into a problem document. Pure; never exposes SQL, stack traces or driver text.
 */
export function toProblem(error: unknown): ProblemWithHeaders {
  if (error instanceof AppError) {
    return { problem: make(error.code, error.detail, error.errors, error.extensions), headers: error.headers ?? {} };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = HTTP_STATUS_TO_CODE[status] ?? (status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED');
    const detail = code === 'INTERNAL' ? 'The server failed to answer' : error.message;
    // A 503 (e.g. the readiness check) promises a retry, as every SERVICE_UNAVAILABLE does; a 401
    // names the scheme, as every UNAUTHENTICATED does (RFC 9110 §11.6.1).
    const headers: Record<string, string> =
      code === 'SERVICE_UNAVAILABLE' ? { 'retry-after': RETRY_AFTER_SECONDS } : code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer' } : {};
    return { problem: make(code, status === 404 || status === 405 ? 'No such route' : detail), headers };
  }
  const dbCode = driverCode(error);
  if (dbCode === 'ER_DUP_ENTRY' || dbCode === 'SQLITE_CONSTRAINT_UNIQUE' || dbCode === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return { problem: make('DUPLICATE_CODE', 'A row with the same code already exists'), headers: {} };
  }
  const column = tooLargeColumn(error);
  if (column !== undefined) {
    // Column names are the API's field names (snake_case); the driver's text is not shown.
    const detail = column ? `${column} is too large to store` : 'A value is too large to store';
    return { problem: make('VALIDATION_FAILED', detail, column ? [{ field: column, message: 'is too large to store' }] : undefined), headers: {} };
  }
  if (isStatementTimeout(error)) return unavailable('The database did not answer in time; try again shortly');
  if (isUnavailable(error)) return unavailable('The database is unreachable; try again shortly');
  // Errors raised by Fastify itself (body parser, content type) carry a statusCode.
  const fastify = error as { statusCode?: unknown; code?: unknown };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    const code = HTTP_STATUS_TO_CODE[status] ?? 'VALIDATION_FAILED';
    const detail =
      code === 'PAYLOAD_TOO_LARGE'
        ? 'The request body exceeds the size limit (1 MiB; 8 MiB for the bulk writes)'
        : code === 'UNSUPPORTED_MEDIA_TYPE'
          ? 'Request bodies must be application/json'
          : 'The request body is not valid JSON';
    return { problem: make(code, detail), headers: {} };
  }
  return { problem: make('INTERNAL', 'The server failed to answer'), headers: {} };
}
