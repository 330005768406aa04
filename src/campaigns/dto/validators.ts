import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
} from 'class-validator';
import { IsCalendarDate } from '../../common/http/date-range.dto';
import { CODE_PATTERN, CodePointLength, IsDecimal, IsNullable, IsOmittable } from '../../common/validation/decorators';
import { ApiInteger } from '../../common/http/api-integer';

/** Field rules of the campaign DTOs that the shared decorators do not cover. */

const MONEY_MAX = 999_999_999_999;
export const COUNT_MAX = 2_147_483_647;

/** Money ≥ 0 with at most 2 decimals; null clears it (budget guidelines, default budget). */
export const IsNullableMoney = (description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: Number, minimum: 0, nullable: true, example: 5000, description }),
    IsNullable(),
    IsDecimal(2),
    Min(0),
    Max(MONEY_MAX),
  );

/** A percentage average, e.g. a channel's ROI: may be negative down to −100; null clears it. */
export const IsNullablePercent = (description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: Number, minimum: -100, nullable: true, example: 120.5, description }),
    IsNullable(),
    IsDecimal(2),
    Min(-100),
    Max(MONEY_MAX),
  );

/** Whole days, 1..3660; null clears. */
export const IsNullableDays = (description?: string) =>
  applyDecorators(
    ApiInteger({ optional: true, minimum: 1, maximum: 3660, nullable: true, example: 30, description }),
    IsNullable(),
    IsInt(),
    Min(1),
    Max(3660),
  );

/** A count (impressions, clicks…): integer ≥ 0, default 0. */
export const IsCount = (description?: string) =>
  applyDecorators(
    ApiInteger({ optional: true, minimum: 0, maximum: COUNT_MAX, default: 0, description }),
    IsOmittable(),
    IsInt(),
    Min(0),
    Max(COUNT_MAX),
  );

/** A `YYYY-MM-DD` calendar day. */
export const IsDay = (opts: { required?: boolean; nullable?: boolean; description?: string; example?: string } = {}) =>
  applyDecorators(
    opts.required
      ? ApiProperty({ type: String, format: 'date', example: opts.example ?? '2026-01-01', description: opts.description })
      : ApiPropertyOptional({ type: String, format: 'date', nullable: opts.nullable, example: opts.example, description: opts.description }),
    ...(opts.required ? [] : [opts.nullable ? IsNullable() : IsOmittable()]),
    Validate(IsCalendarDate),
  );

/** Distinct codes, at most `max` (allowed transitions, a template's default channels). */
export const IsCodeList = (max: number, description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], maxItems: max, uniqueItems: true, default: [], example: ['ACTIVE'], description }),
    IsOmittable(),
    IsArray(),
    ArrayMaxSize(max),
    ArrayUnique(),
    IsString({ each: true }),
    Matches(CODE_PATTERN, { each: true, message: 'each value in $property must match ^[A-Z][A-Z0-9_]{0,49}$' }),
  );

/**
 * Key performance indicators: at most 50 distinct strings of 1..100 characters, counted in code points
 * (class-validator's Length counts a variation selector as nothing, so a "100-character" KPI could
 * carry a megabyte).
 */
export const IsKpis = () =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], maxItems: 50, default: [], example: ['ctr', 'leads'] }),
    IsOmittable(),
    IsArray(),
    ArrayMaxSize(50),
    ArrayUnique(),
    IsString({ each: true }),
    CodePointLength(1, 100, { each: true }),
  );

/** An optional reference by code; null clears it. */
export const IsNullableCode = (example: string, description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, pattern: CODE_PATTERN.source, maxLength: 50, example, description }),
    IsNullable(),
    IsString(),
    Matches(CODE_PATTERN, { message: '$property must match ^[A-Z][A-Z0-9_]{0,49}$' }),
  );
