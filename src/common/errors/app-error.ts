import { HttpException } from '@nestjs/common';
import { ERROR_STATUS, ERROR_TITLE, ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

/** Machine-readable members a problem document may carry besides the standard ones (ProblemDto). */
export interface ProblemExtensions {
  /** DUPLICATE_CODE on a lead's lead_code: the id of the live lead that has the code. */
  existing_id?: number;
}

/** An RFC 9457 problem document with the contract's `code`: the body of every error answer. */
export interface Problem extends ProblemExtensions {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
}

/** The problem `type` of a code: `https://errors.sales-customization/not-found`. */
export const problemType = (code: ErrorCode) => `https://errors.sales-customization/${code.toLowerCase().replace(/_/g, '-')}`;

/** The problem document of a code (members in the order the service sends them). */
export const problemBody = (code: ErrorCode, detail: string, errors?: FieldError[], extensions?: ProblemExtensions): Problem => ({
  type: problemType(code),
  title: ERROR_TITLE[code],
  status: ERROR_STATUS[code],
  detail,
  code,
  ...extensions,
  ...(errors && errors.length > 0 ? { errors } : {}),
});

/**
 * The one error type services throw. The service's filter turns it into problem+json (toProblem).
 * It is a Nest HttpException with the contract's status, so that in a host application that embeds
 * the modules, the host's own exception filter or Nest's default one answers with that status and
 * the problem document as body (getResponse()) instead of a 500. `errorCode` carries the code too.
 */
export class AppError extends HttpException {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
    readonly extensions?: ProblemExtensions,
  ) {
    super(problemBody(code, detail, errors, extensions), ERROR_STATUS[code], { errorCode: code });
    // HttpException takes its message from the body's `message` member, which a problem has not.
    this.message = detail;
    this.name = 'AppError';
  }
}

export const raise = (e: AppError): never => {
  throw e;
};

export const notFound = (what: string, key?: string | number) =>
  new AppError('NOT_FOUND', key === undefined ? `${what} not found` : `${what} ${key} not found`);
/** With `existingId` (rows addressed by id, where the code does not lead to the row): names the holder. */
export const duplicateCode = (what: string, code: string, existingId?: number) =>
  existingId === undefined
    ? new AppError('DUPLICATE_CODE', `${what} code ${code} is already in use`)
    : new AppError('DUPLICATE_CODE', `${what} code ${code} is already in use by ${what} ${existingId}`, undefined, undefined, { existing_id: existingId });
export const conflict = (detail: string) => new AppError('CONFLICT', detail);
export const validationFailed = (errors: FieldError[], detail = 'The request is not valid') => new AppError('VALIDATION_FAILED', detail, errors);
export const fieldInvalid = (field: string, message: string) => validationFailed([{ field, message }], message);
/** A guarded write (by version) matched no row: another writer changed the row after this one read it. */
export const changedMeanwhile = (label: string) => new AppError('PRECONDITION_FAILED', `The ${label} changed meanwhile; read it again`);
export const preconditionFailed = (currentVersion: number) =>
  new AppError('PRECONDITION_FAILED', `If-Match does not name the current version (${currentVersion})`);
export const forbidden = (detail = 'Your role does not allow this') => new AppError('FORBIDDEN', detail);
/** No bearer token was sent: the 401 names the scheme only (RFC 6750 §3.1). */
export const unauthenticated = (detail = 'A valid bearer token is required') =>
  new AppError('UNAUTHENTICATED', detail, undefined, { 'www-authenticate': 'Bearer' });
/** A bearer token was sent and is malformed, expired or otherwise not valid (RFC 6750 §3.1, invalid_token). */
export const invalidToken = (detail: string) =>
  new AppError('UNAUTHENTICATED', detail, undefined, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${detail.replace(/["\\]/g, "'")}"`,
  });
