import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { IsOmittable } from '../../common/validation/decorators';

const TIMESTAMP = { strict: true, strictSeparator: true } as const;
/** A full timestamp: date, time and zone (a bare date is ambiguous for stage timing). */
const TIMESTAMP_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const Timestamp = (description: string, example?: string) => (target: object, key: string) => {
  ApiPropertyOptional({ type: String, format: 'date-time', pattern: TIMESTAMP_SHAPE.source, maxLength: 35, description, example })(target, key);
  IsOmittable()(target, key);
  IsISO8601(TIMESTAMP, { message: `${key} must be an ISO 8601 timestamp with time and zone` })(target, key);
  Matches(TIMESTAMP_SHAPE, { message: `${key} must be an ISO 8601 timestamp with time and zone` })(target, key);
};
