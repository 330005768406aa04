import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
  buildMessage,
} from 'class-validator';

export const CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,49}$/;
export const COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;
export const JSON_OBJECT_MAX_BYTES = 16 * 1024;

type Opt = { optional?: boolean; description?: string };

/**
 * Optional, but not nullable: an omitted field is skipped, an explicit null is validated (and refused).
 * class-validator's IsOptional would let null through to a NOT NULL column.
 */
export const IsOmittable = () => ValidateIf((_object, value) => value !== undefined);

/** Optional and nullable: null clears the field (description, icon, colour…). */
export const IsNullable = () => IsOptional();

const prop = (opts: Opt, schema: Record<string, unknown>) =>
  opts.optional ? ApiPropertyOptional({ ...schema, description: opts.description }) : ApiProperty({ ...schema, description: opts.description });

/** A `*_code`: upper-case, digits and underscores, starting with a letter, at most 50 characters. */
export const IsCode = (opts: Opt & { example?: string } = {}) =>
  applyDecorators(
    prop(opts, { type: String, pattern: CODE_PATTERN.source, example: opts.example ?? 'WEBSITE', maxLength: 50 }),
    ...(opts.optional ? [IsOmittable()] : []),
    IsString(),
    Matches(CODE_PATTERN, { message: '$property must match ^[A-Z][A-Z0-9_]{0,49}$' }),
  );

/** A display name: 1..100 characters. */
export const IsName = (opts: Opt & { example?: string } = {}) =>
  applyDecorators(
    prop(opts, { type: String, minLength: 1, maxLength: 100, example: opts.example }),
    ...(opts.optional ? [IsOmittable()] : []),
    IsString(),
    Length(1, 100),
  );

export const IsText = (max: number, opts: Opt = {}) =>
  applyDecorators(
    prop({ optional: true, ...opts }, { type: String, maxLength: max, nullable: true }),
    IsNullable(),
    IsString(),
    Length(0, max),
  );

export const IsColorHex = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, pattern: COLOR_PATTERN.source, example: '#1E88E5', nullable: true }),
    IsNullable(),
    IsString(),
    Matches(COLOR_PATTERN, { message: '$property must be a colour like #1E88E5' }),
  );

export const IsFlag = (opts: Opt & { default?: boolean } = {}) =>
  applyDecorators(ApiPropertyOptional({ type: Boolean, default: opts.default, description: opts.description }), IsOmittable(), IsBoolean());

export const IsDisplayOrder = () =>
  applyDecorators(ApiPropertyOptional({ type: Number, default: 0, minimum: 0, maximum: 1_000_000 }), IsOmittable(), IsInt(), Min(0), Max(1_000_000));

/** Money or another non-negative decimal with at most 2 decimals. */
export const IsMoney = (opts: Opt & { default?: number } = {}) =>
  applyDecorators(
    prop({ optional: true, ...opts }, { type: Number, minimum: 0, default: opts.default, example: 12.5 }),
    IsOmittable(),
    IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }),
    Min(0),
    Max(999_999_999_999),
  );

export function isSmallJsonObject(value: unknown, maxBytes = JSON_OBJECT_MAX_BYTES): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxBytes;
}

/** A JSON object of at most 16 KiB serialized (metadata, integration_data, target_audience). */
export const IsSmallJsonObject = (validationOptions?: ValidationOptions) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'JSON object, at most 16 KiB serialized', default: {} }),
    IsOmittable(),
    ValidateBy(
      {
        name: 'isSmallJsonObject',
        validator: {
          validate: (value) => isSmallJsonObject(value),
          defaultMessage: buildMessage((each) => `${each}$property must be a JSON object of at most 16 KiB`, validationOptions),
        },
      },
      validationOptions,
    ),
  );
