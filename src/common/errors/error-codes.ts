/**
 * The contract's error codes (API.md §1) and their HTTP statuses, plus those of the HTTP edges the
 * contract does not list (405, 408, 431: docs/conventions.md, "HTTP edges").
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TENANT_MISMATCH: 403,
  NOT_FOUND: 404,
  /** The path exists, not for this method; the answer's Allow header lists the methods it has. */
  METHOD_NOT_ALLOWED: 405,
  /** The request did not arrive whole in time (Node's HTTP parser). */
  REQUEST_TIMEOUT: 408,
  DUPLICATE_CODE: 409,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  /** The request line and headers exceed Node's 16 KiB (Node's HTTP parser). */
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLE: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'Validation failed',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Forbidden',
  TENANT_MISMATCH: 'Tenant mismatch',
  NOT_FOUND: 'Not found',
  METHOD_NOT_ALLOWED: 'Method not allowed',
  REQUEST_TIMEOUT: 'Request timeout',
  DUPLICATE_CODE: 'Duplicate code',
  CONFLICT: 'Conflict',
  PRECONDITION_FAILED: 'Precondition failed',
  PAYLOAD_TOO_LARGE: 'Payload too large',
  UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  RATE_LIMITED: 'Too many requests',
  HEADERS_TOO_LARGE: 'Request header fields too large',
  INTERNAL: 'Internal server error',
  SERVICE_UNAVAILABLE: 'Service unavailable',
};
