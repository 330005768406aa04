import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy, ValidateIf, ValidationOptions, buildMessage } from 'class-validator';
import { ApiInteger } from '../http/api-integer';

export const CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,49}$/;
export const COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;
export const JSON_OBJECT_MAX_BYTES = 16 * 1024;
/** The largest amount of money the API takes: DECIMAL(14,2). */
export const MONEY_MAX = 999_999_999_999;

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

/**
 * A text of min..max characters, counted as the database counts them: in code points. class-validator's
 * Length discounts variation selectors (U+FE0F), so `"❤️"` × 100 passed as 100 characters and then
 * overflowed a VARCHAR(100) on MySQL (a 500).
 */
export const CodePointLength = (min: number, max: number, validationOptions?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'codePointLength',
      constraints: [min, max],
      validator: {
        validate: (value) => {
          if (typeof value !== 'string') return false;
          const length = [...value].length;
          return length >= min && length <= max;
        },
        defaultMessage: buildMessage((each) => `${each}$property must be ${min}..${max} characters long`, validationOptions),
      },
    },
    validationOptions,
  );

/** A `*_code`: upper-case, digits and underscores, starting with a letter, at most 50 characters. */
/** `example: null` leaves the example out (a reference that no fresh tenant has, e.g. a campaign). */
export const IsCode = (opts: Opt & { example?: string | null } = {}) =>
  applyDecorators(
    prop(opts, { type: String, pattern: CODE_PATTERN.source, maxLength: 50, ...(opts.example === null ? {} : { example: opts.example ?? 'WEBSITE' }) }),
    ...(opts.optional ? [IsOmittable()] : []),
    IsString(),
    Matches(CODE_PATTERN, { message: '$property must match ^[A-Z][A-Z0-9_]{0,49}$' }),
  );

/** C0 controls (U+0000..U+001F), DEL and C1 controls (U+007F..U+009F). */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** The same, except tab, line feed and carriage return: free text keeps its lines. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * What each kind of text may hold, as the OpenAPI document states it (decorators.spec.ts checks that
 * these patterns and the validators below accept the same strings):
 * - a name (of a source, type, template…): no control character, not blank (only whitespace);
 * - a label (icon, location name, KPI, key, search): no control character;
 * - free text (description, notes): no control character but tab, line feed and carriage return.
 */
export const TEXT_PATTERNS = {
  name: '^(?!\\s*$)[^\\u0000-\\u001F\\u007F-\\u009F]+$',
  label: '^[^\\u0000-\\u001F\\u007F-\\u009F]*$',
  freeText: '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$',
} as const;

/**
 * Refuses NUL and the other control characters (400 naming the field): they corrupt logs and CSV
 * exports, SQLite's LIKE stops at a NUL, and no name needs one. `lines` lets free text keep tab, line
 * feed and carriage return. Non-strings are left to IsString.
 */
export const HasNoControlCharacters = (opts: { lines?: boolean } = {}, validationOptions?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'hasNoControlCharacters',
      validator: {
        validate: (value) => typeof value !== 'string' || !(opts.lines ? CONTROL_BUT_LINES : CONTROL).test(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must not contain control characters${opts.lines ? ' other than tab, line feed and carriage return' : ''}`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );

/** A name must show something: empty or whitespace only (JavaScript's \s: spaces, tabs, NBSP, U+3000…) is refused. */
export const IsNotBlank = (validationOptions?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isNotBlank',
      validator: {
        validate: (value) => typeof value !== 'string' || /\S/.test(value),
        defaultMessage: buildMessage((each) => `${each}$property must not be blank`, validationOptions),
      },
    },
    validationOptions,
  );

/**
 * An exact-match filter value (audit log): no control character and no space at either end. MySQL's
 * `utf8mb4_bin` ignores trailing spaces in `=` and SQLite does not; no stored key has any, so such a
 * value is refused on both engines instead of matching on one.
 */
export const HasNoSurroundingSpace = (validationOptions?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'hasNoSurroundingSpace',
      validator: {
        validate: (value) => typeof value !== 'string' || value === value.trim(),
        defaultMessage: buildMessage((each) => `${each}$property must not start or end with whitespace`, validationOptions),
      },
    },
    validationOptions,
  );

/** A display name: 1..100 characters, no control character, not blank. */
export const IsName = (opts: Opt & { example?: string } = {}) =>
  applyDecorators(
    prop(opts, { type: String, minLength: 1, maxLength: 100, pattern: TEXT_PATTERNS.name, example: opts.example }),
    ...(opts.optional ? [IsOmittable()] : []),
    IsString(),
    CodePointLength(1, 100),
    HasNoControlCharacters(),
    IsNotBlank(),
  );

/** Free text (a description, notes): up to `max` characters, lines allowed, no other control character; null clears it. */
export const IsText = (max: number, opts: Opt = {}) =>
  applyDecorators(
    prop({ optional: true, ...opts }, { type: String, maxLength: max, nullable: true, pattern: TEXT_PATTERNS.freeText }),
    IsNullable(),
    IsString(),
    CodePointLength(0, max),
    HasNoControlCharacters({ lines: true }),
  );

/** A short one-line text (an icon, a location name): up to `max` characters, no control character; null clears it. */
export const IsLabel = (max: number, opts: Opt = {}) =>
  applyDecorators(
    prop({ optional: true, ...opts }, { type: String, maxLength: max, nullable: true, pattern: TEXT_PATTERNS.label }),
    IsNullable(),
    IsString(),
    CodePointLength(0, max),
    HasNoControlCharacters(),
  );

export const IsColorHex = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, pattern: COLOR_PATTERN.source, maxLength: 7, example: '#1E88E5', nullable: true }),
    IsNullable(),
    IsString(),
    Matches(COLOR_PATTERN, { message: '$property must be a colour like #1E88E5' }),
  );

export const IsFlag = (opts: Opt & { default?: boolean } = {}) =>
  applyDecorators(ApiPropertyOptional({ type: Boolean, default: opts.default, description: opts.description }), IsOmittable(), IsBoolean());

export const IsDisplayOrder = () =>
  applyDecorators(ApiInteger({ optional: true, default: 0, minimum: 0, maximum: 1_000_000 }), IsOmittable(), IsInt(), Min(0), Max(1_000_000));

/** Decimal places of a finite number, also when JavaScript writes it with an exponent (1e-7 has 7). */
export function decimalPlaces(value: number): number {
  if (Number.isInteger(value)) return 0;
  const [mantissa, exponent = '0'] = value.toString().split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

/**
 * A finite number with at most `places` decimals. Use instead of class-validator's
 * IsNumber({ maxDecimalPlaces }), which throws a TypeError (a 500) on a number JavaScript writes with
 * an exponent and no dot, such as 1e-7 or 5e-324.
 */
export const IsDecimal = (places: number, validationOptions?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isDecimal',
      constraints: [places],
      validator: {
        validate: (value) => typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= places,
        defaultMessage: buildMessage((each) => `${each}$property must be a number with at most ${places} decimals`, validationOptions),
      },
    },
    validationOptions,
  );

/** Money or another non-negative decimal with at most 2 decimals. */
export const IsMoney = (opts: Opt & { default?: number } = {}) =>
  applyDecorators(
    prop({ optional: true, ...opts }, { type: Number, minimum: 0, maximum: MONEY_MAX, multipleOf: 0.01, default: opts.default, example: 12.5 }),
    IsOmittable(),
    IsDecimal(2),
    Min(0),
    Max(MONEY_MAX),
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
