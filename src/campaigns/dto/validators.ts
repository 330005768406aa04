import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsInt, IsString, Matches, Max, Min, Validate } from 'class-validator';
import { apiDay, IsCalendarDate } from '../../common/http/date-range.dto';
import {
  CODE_PATTERN,
  CodePointLength,
  HasNoControlCharacters,
  IsDecimal,
  IsNotBlank,
  IsNullable,
  IsOmittable,
  MONEY_MAX,
  TEXT_PATTERNS,
} from '../../common/validation/decorators';
import { ApiInteger } from '../../common/http/api-integer';

/** Field rules of the campaign DTOs that the shared decorators do not cover. */

export const COUNT_MAX = 2_147_483_647;

/** Money ≥ 0 with at most 2 decimals; null clears it (budget guidelines, default budget). */
export const IsNullableMoney = (description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: Number, minimum: 0, maximum: MONEY_MAX, multipleOf: 0.01, nullable: true, example: 5000, description }),
    IsNullable(),
    IsDecimal(2),
    Min(0),
    Max(MONEY_MAX),
  );

/** A percentage average, e.g. a channel's ROI: may be negative down to −100; null clears it. */
export const IsNullablePercent = (description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: Number, minimum: -100, maximum: MONEY_MAX, multipleOf: 0.01, nullable: true, example: 120.5, description }),
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
  applyDecorators(ApiInteger({ optional: true, minimum: 0, maximum: COUNT_MAX, default: 0, description }), IsOmittable(), IsInt(), Min(0), Max(COUNT_MAX));

/** A `YYYY-MM-DD` calendar day. */
export const IsDay = (opts: { required?: boolean; nullable?: boolean; description?: string; example?: string } = {}) =>
  applyDecorators(
    opts.required
      ? ApiProperty({ ...apiDay(opts.description), example: opts.example ?? '2026-01-01' })
      : ApiPropertyOptional({ ...apiDay(opts.description), nullable: opts.nullable, example: opts.example }),
    ...(opts.required ? [] : [opts.nullable ? IsNullable() : IsOmittable()]),
    Validate(IsCalendarDate),
  );

/** Distinct codes, at most `max` (allowed transitions, a template's default channels). */
export const IsCodeList = (max: number, example: string[], description?: string) =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', pattern: CODE_PATTERN.source, maxLength: 50 },
      maxItems: max,
      uniqueItems: true,
      default: [],
      example,
      description,
    }),
    IsOmittable(),
    IsArray(),
    ArrayMaxSize(max),
    ArrayUnique(),
    IsString({ each: true }),
    Matches(CODE_PATTERN, { each: true, message: 'each value in $property must match ^[A-Z][A-Z0-9_]{0,49}$' }),
  );

/**
 * Key performance indicators: at most 50 distinct labels of 1..100 characters, counted in code points
 * (class-validator's Length counts a variation selector as nothing, so a "100-character" KPI could
 * carry a megabyte), none blank or with a control character.
 */
export const IsKpis = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 100, pattern: TEXT_PATTERNS.name },
      maxItems: 50,
      uniqueItems: true,
      default: [],
      example: ['ctr', 'leads'],
    }),
    IsOmittable(),
    IsArray(),
    ArrayMaxSize(50),
    ArrayUnique(),
    IsString({ each: true }),
    CodePointLength(1, 100, { each: true }),
    HasNoControlCharacters({}, { each: true }),
    IsNotBlank({ each: true }),
  );

/** An optional reference by code; null clears it. */
export const IsNullableCode = (example: string, description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, pattern: CODE_PATTERN.source, maxLength: 50, example, description }),
    IsNullable(),
    IsString(),
    Matches(CODE_PATTERN, { message: '$property must match ^[A-Z][A-Z0-9_]{0,49}$' }),
  );
