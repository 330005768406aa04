import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { isTimeZoneName, MAX_TIME_ZONE_LENGTH } from '../common/analytics/time-zone';
import { ApiInteger } from '../common/http/api-integer';
import { IsOmittable } from '../common/validation/decorators';
import { TenantSettingsEntity, Weekday, WEEKDAYS } from './tenant-settings.entity';

/** The audit log's entity type and key of the settings (one row per tenant). */
export const SETTINGS_AUDIT_TYPE = 'settings';
export const SETTINGS_AUDIT_KEY = 'tenant';

@ValidatorConstraint({ name: 'isTimeZone' })
export class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isTimeZoneName(value);
  }
  defaultMessage(): string {
    return '$property must be an IANA time zone name the service knows, such as UTC, Europe/Berlin or Asia/Kolkata';
  }
}

const TIME_ZONE_DESCRIPTION =
  'IANA time zone name (UTC, Europe/Berlin, Asia/Kolkata…), checked against the time zone database of the service. Every day the service derives from a timestamp (creation days of leads in analytics, created_from/created_to, today) is a day of this zone; dates users type stay as typed.';

export class UpdateTenantSettingsDto {
  @ApiPropertyOptional({ type: String, maxLength: MAX_TIME_ZONE_LENGTH, example: 'Asia/Kolkata', description: TIME_ZONE_DESCRIPTION })
  @IsOmittable()
  @IsString()
  @Validate(IsTimeZone)
  time_zone?: string;

  @ApiPropertyOptional({ enum: WEEKDAYS, example: 'monday', description: 'The first day of a week in weekly trends' })
  @IsOmittable()
  @IsIn(WEEKDAYS)
  week_start?: Weekday;
}

export class TenantSettingsResponseDto {
  @ApiProperty({ example: 'Asia/Kolkata', description: `${TIME_ZONE_DESCRIPTION} UTC until set.` })
  time_zone: string;

  @ApiProperty({ enum: WEEKDAYS, example: 'monday', description: 'The first day of a week in weekly trends; monday until set' })
  week_start: Weekday;

  @ApiProperty({
    example: 'Asia/Kolkata',
    description:
      'The zone answers use now. Equal to time_zone, except while a change of time_zone is applied: the stored days are recomputed in the new zone meanwhile, and answers switch to it at once when that is done (time_zone_change_started_at is then null again).',
  })
  days_time_zone: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the change of zone being applied started; null when none is' })
  time_zone_change_started_at: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;
  @ApiProperty({ format: 'date-time' })
  updated_at: string;
  @ApiProperty({ example: 'system' })
  created_by: string;
  @ApiProperty({ example: 'user-1' })
  updated_by: string;
  @ApiInteger({ example: 1, description: 'Also sent as the ETag; send it back in If-Match' })
  version: number;
}

export const toSettingsResponse = (s: TenantSettingsEntity): TenantSettingsResponseDto => ({
  time_zone: s.timeZone,
  week_start: s.weekStart,
  days_time_zone: s.daysTimeZone,
  time_zone_change_started_at: s.recomputeStartedAt ? s.recomputeStartedAt.toISOString() : null,
  created_at: s.createdAt.toISOString(),
  updated_at: s.updatedAt.toISOString(),
  created_by: s.createdBy,
  updated_by: s.updatedBy,
  version: s.version,
});
