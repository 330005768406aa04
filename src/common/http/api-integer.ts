import { ApiParam, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * int32 for ids, versions, orders, days, durations and counts bounded by a 32-bit column; int64 for
 * sums that may pass 2^31 (campaign totals of impressions, clicks, leads and conversions: BIGINT).
 */
export type IntegerFormat = 'int32' | 'int64';

export interface ApiIntegerOptions {
  /** ApiPropertyOptional instead of ApiProperty. */
  optional?: boolean;
  /** Default int32. */
  format?: IntegerFormat;
  description?: string;
  example?: number;
  default?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
}

/**
 * A whole number in the OpenAPI document: `type: integer` with a format, so that client generators
 * (Kotlin, Java, C#…) produce Int/Long rather than Double. Money, rates and averages stay `number`.
 */
export const ApiInteger = ({ optional, format = 'int32', ...options }: ApiIntegerOptions = {}): PropertyDecorator =>
  (optional ? ApiPropertyOptional : ApiProperty)({ ...options, type: 'integer', format });

/**
 * The largest id the API addresses (its ids are int32: API.md). Ids are numbered per tenant and table
 * (src/tenancy/id-sequences.ts), so this bounds one tenant's rows of one table, not a deployment's.
 * The columns are BIGINT, so lifting the bound later is a change of the contract only.
 */
export const MAX_PUBLIC_ID = 2_147_483_647;

/** A numeric id in the path (`{id}`, `{lead_id}`): a positive 32-bit integer (else 404, IdParamPipe). */
export const ApiIntegerParam = (name: string) =>
  ApiParam({
    name,
    description: "The row's id. Ids are numbered per tenant (1, 2, 3… in each), so another tenant's row may have the same id.",
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: MAX_PUBLIC_ID },
  });
