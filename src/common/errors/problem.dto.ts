import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS, ERROR_TITLE, ErrorCode } from './error-codes';
import { ApiInteger } from '../http/api-integer';

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

const codesByStatus = (status: number) =>
  (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((c) => ERROR_STATUS[c] === status);

/**
 * Documents problem+json responses. Every authenticated route can also answer 401, 403, 429, 500 and
 * 503, so those are always listed.
 */
export const ApiProblemResponses = (...statuses: number[]) =>
  applyDecorators(
    ...[...new Set([...statuses, 401, 403, 429, 500, 503])].sort().map((status) =>
      ApiResponse({
        status,
        description: codesByStatus(status)
          .map((c) => `${c}: ${ERROR_TITLE[c]}`)
          .join('; '),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
      }),
    ),
  );
