import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ERROR_TITLE, ErrorCode } from './error-codes';
import { ApiInteger } from '../http/api-integer';
import { problemType } from './to-problem';

export class FieldErrorDto {
  @ApiProperty({ example: 'source_code' })
  field: string;
  @ApiProperty({ example: 'source_code must match ^[A-Z][A-Z0-9_]{0,49}$' })
  message: string;
}

/** RFC 9457 problem document with the contract's `code`. */
export class ProblemDto {
  @ApiProperty({ example: 'https://errors.sales-customization/not-found' })
  type: string;
  @ApiProperty({ example: 'Not found' })
  title: string;
  @ApiInteger({ example: 404 })
  status: number;
  @ApiProperty({ example: 'lead source WEBSITE not found' })
  detail: string;
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'NOT_FOUND' })
  code: ErrorCode;
  @ApiInteger({ optional: true, example: 42, description: "DUPLICATE_CODE on a lead's lead_code: the id of the live lead that has the code" })
  existing_id?: number;
  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldErrorDto[];
  @ApiPropertyOptional({ description: 'Request id, also in the logs' })
  instance?: string;
}

const codesByStatus = (status: number) => (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((c) => ERROR_STATUS[c] === status);

/** A problem+json response with the shared schema (examples are added per operation: openapi.ts). */
export const problemResponse = (status: number) => ({
  description: codesByStatus(status)
    .map((c) => `${c}: ${ERROR_TITLE[c]}`)
    .join('; '),
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
});

/**
 * Documents problem+json responses. Every authenticated route can also answer 401, 403, 429, 500 and
 * 503, so those are always listed.
 */
export const ApiProblemResponses = (...statuses: number[]) =>
  applyDecorators(...[...new Set([...statuses, 401, 403, 429, 500, 503])].sort().map((status) => ApiResponse({ status, ...problemResponse(status) })));

const EXAMPLE_REQUEST_ID = '3f8d2c9e-5b1a-4e7f-9c0d-2a6b8e4f1c73';

const problem = (code: ErrorCode, detail: string, errors?: FieldErrorDto[]) => ({
  type: problemType(code),
  title: ERROR_TITLE[code],
  status: ERROR_STATUS[code],
  detail,
  code,
  ...(errors ? { errors } : {}),
  instance: EXAMPLE_REQUEST_ID,
});

const example = (summary: string, value: ReturnType<typeof problem>) => ({ summary, value });
const fieldError = (field: string, message: string) => problem('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }]);

/**
 * Realistic problem documents per status, as the service sends them (details from the services,
 * the guard, the pipe and toProblem). `body`: the operation takes a JSON body; `noun`/`key`: what a
 * 404 of the operation names; `duplicate`/`conflict`: the details of its 409s.
 */
export function problemExamples(
  status: number,
  o: { body: boolean; noun: string; key: string; duplicate?: string; conflict?: string },
): Record<string, { summary: string; value: object }> {
  switch (status) {
    case 400:
      return o.body
        ? {
            field: example('A field breaks its rule', fieldError('source_code', 'source_code must match ^[A-Z][A-Z0-9_]{0,49}$')),
            unknown: example('A field the resource does not have', fieldError('colour', 'unknown field colour')),
            json: example('A body that is not JSON', problem('VALIDATION_FAILED', 'The request body is not valid JSON')),
          }
        : {
            query: example('A query parameter out of range', fieldError('limit', 'limit must not be less than 1')),
            json: example('A body that is not JSON', problem('VALIDATION_FAILED', 'The request body is not valid JSON')),
          };
    case 401:
      return {
        missing: example('No bearer token', problem('UNAUTHENTICATED', 'A valid bearer token is required')),
        expired: example('An expired token', problem('UNAUTHENTICATED', 'The token has expired')),
      };
    case 403:
      return {
        role: example('The role may not call this route', problem('FORBIDDEN', 'Your role does not allow this')),
        tenant: example("X-Tenant-ID differs from the token's tenant", problem('TENANT_MISMATCH', 'X-Tenant-ID does not match the token')),
      };
    case 404:
      return { missing: example(`No such ${o.noun} in your tenant`, problem('NOT_FOUND', `${o.noun} ${o.key} not found`)) };
    case 409:
      return {
        ...(o.duplicate || !o.conflict
          ? { duplicate: example('The code is taken by a live row', problem('DUPLICATE_CODE', o.duplicate ?? `${o.noun} code ${o.key} is already in use`)) }
          : {}),
        ...(o.conflict ? { conflict: example('A rule of the resource', problem('CONFLICT', o.conflict)) } : {}),
      };
    case 412:
      return {
        stale: example('Someone changed the row since you read it', problem('PRECONDITION_FAILED', 'If-Match does not name the current version (4)')),
        malformed: example('If-Match names no version', problem('PRECONDITION_FAILED', 'If-Match must name a version, e.g. "3"')),
      };
    case 413:
      return { tooLarge: example('The body is over 1 MiB (8 MiB for the bulk writes)', problem('PAYLOAD_TOO_LARGE', 'Request body is too large')) };
    case 415:
      return { mediaType: example('The body is not application/json', problem('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Media Type')) };
    case 429:
      return { limited: example('Too many requests of the tenant this minute', problem('RATE_LIMITED', 'Rate limit of 1200 requests per minute exceeded')) };
    case 500:
      return { internal: example('An unexpected failure (details only in the logs)', problem('INTERNAL', 'The server failed to answer')) };
    case 503:
      return {
        database: example('The database is unreachable', problem('SERVICE_UNAVAILABLE', 'The database is unreachable; try again shortly')),
        busy: example('Too many analytics requests waiting', problem('SERVICE_UNAVAILABLE', 'Too many analytics requests are running; try again shortly')),
        draining: example('The instance is shutting down', problem('SERVICE_UNAVAILABLE', 'The service is shutting down; retry the request')),
      };
    default:
      return {};
  }
}
