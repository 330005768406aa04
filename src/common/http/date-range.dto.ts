import { applyDecorators } from '@nestjs/common';
import { ATTRIBUTION_MODELS, AttributionModel, DEFAULT_ATTRIBUTION_MODEL } from '../analytics/attribution';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { addDays, DATE_PATTERN, daysBetween, isValidDate, MAX_DATE, MIN_DATE, utcToday } from '../analytics/dates';
import { INTERVALS, Interval } from '../analytics/periods';
import { fieldInvalid } from '../errors/app-error';
import { toPlainNumber } from './list.dto';
import { ApiInteger } from './api-integer';

@ValidatorConstraint({ name: 'isCalendarDate' })
export class IsCalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidDate(value);
  }
  defaultMessage(): string {
    return `$property must be a calendar date YYYY-MM-DD from ${MIN_DATE} to ${MAX_DATE}`;
  }
}

/** The OpenAPI shape of a day the API takes (IsCalendarDate). */
export const apiDay = (description?: string) => ({
  type: String,
  format: 'date',
  pattern: DATE_PATTERN.source,
  maxLength: 10,
  description: [description, `A calendar day from ${MIN_DATE} to ${MAX_DATE}.`].filter(Boolean).join('. ').replace('.. ', '. '),
});

export const DEFAULT_RANGE_DAYS = 30;
/** Longest range an analytics route answers (zero-filled daily series stay bounded). */
export const MAX_RANGE_DAYS = 3660;

/** `start_date`/`end_date` (inclusive days of the tenant's time zone) or `days` (the last N days including today there). */
export class DateRangeQueryDto {
  @ApiPropertyOptional({
    ...apiDay("First day, inclusive (a day of the tenant's time zone, GET /settings); a range covers at most 3,660 days"),
    example: '2026-01-01',
  })
  @IsOptional()
  @Validate(IsCalendarDate)
  start_date?: string;

  @ApiPropertyOptional({ ...apiDay("Last day, inclusive (a day of the tenant's time zone); not before start_date"), example: '2026-01-31' })
  @IsOptional()
  @Validate(IsCalendarDate)
  end_date?: string;

  @ApiInteger({
    optional: true,
    minimum: 1,
    maximum: 366,
    description: "The last N days including today in the tenant's time zone; instead of start_date/end_date",
  })
  @IsOptional()
  @Transform(toPlainNumber)
  @IsInt()
  @Min(1)
  @Max(366)
  days?: number;
}

export class TrendQueryDto extends DateRangeQueryDto {
  @ApiPropertyOptional({ enum: INTERVALS, default: 'day' })
  @IsOptional()
  @IsIn(INTERVALS)
  interval?: Interval;
}

export interface DateRange {
  startDate: string;
  endDate: string;
}

/**
 * Resolves the range rules of API.md §1. `days` excludes start_date/end_date. Only start_date: up to
 * today. Only end_date: the 30 days ending then. Nothing: the last 30 days. Longer than 3660 days → 400.
 */
export function resolveDateRange(q: DateRangeQueryDto, today = utcToday()): DateRange {
  if (q.days !== undefined && (q.start_date !== undefined || q.end_date !== undefined)) {
    throw fieldInvalid('days', 'days cannot be combined with start_date or end_date');
  }
  let startDate: string;
  let endDate: string;
  if (q.days !== undefined) {
    endDate = today;
    startDate = addDays(today, -(q.days - 1));
  } else {
    endDate = q.end_date ?? today;
    startDate = q.start_date ?? addDays(endDate, -(DEFAULT_RANGE_DAYS - 1));
  }
  if (endDate < startDate) throw fieldInvalid('end_date', 'end_date must not be before start_date');
  if (daysBetween(startDate, endDate) + 1 > MAX_RANGE_DAYS) {
    throw fieldInvalid('start_date', `a range covers at most ${MAX_RANGE_DAYS} days`);
  }
  return { startDate, endDate };
}

/** `?model=`: how analytics credit a lead across its touches (common/analytics/attribution.ts, docs/attribution.md). */
export const ApiAttributionModel = () =>
  applyDecorators(
    ApiPropertyOptional({
      enum: ATTRIBUTION_MODELS,
      default: DEFAULT_ATTRIBUTION_MODEL,
      description:
        'How a lead is credited across its touches: first (its own codes: the answers as they were before models), last, linear, position_based (40/20/40) or time_decay (half-life 7 days before the conversion). Under the touch models counts are credited leads with up to 6 decimals.',
    }),
    IsOptional(),
    IsIn(ATTRIBUTION_MODELS),
  );

/** A range and an attribution model: the analytics that credit touches. */
export class AttributedRangeQueryDto extends DateRangeQueryDto {
  @ApiAttributionModel()
  model?: AttributionModel;
}
