import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { IsIn, IsInt, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ApiInteger } from '../../common/http/api-integer';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import {
  CODE_PATTERN,
  CodePointLength,
  HasNoControlCharacters,
  IsCode,
  IsFlag,
  IsName,
  IsNullable,
  IsOmittable,
  TEXT_PATTERNS,
} from '../../common/validation/decorators';
import { IsNullableCode } from '../../campaigns/dto/validators';
import { MATCH_MODES, MatchMode } from './attribution-rule.entity';

/** The largest priority a rule takes. */
export const MAX_PRIORITY = 1_000_000;

export class UtmConditionDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 255, pattern: TEXT_PATTERNS.label, example: 'google' })
  @IsString()
  @CodePointLength(1, 255)
  @HasNoControlCharacters()
  value: string;

  @ApiProperty({ enum: MATCH_MODES, example: 'exact', description: 'exact: the whole value; prefix: its beginning. Both ignore case.' })
  @IsIn(MATCH_MODES)
  match: MatchMode;
}

/** A condition: the field present with a value and a mode; null (PATCH) removes it. */
const Condition = (description: string) => (target: object, key: string) => {
  ApiPropertyOptional({ type: UtmConditionDto, nullable: true, description })(target, key);
  IsNullable()(target, key);
  ValidateNested()(target, key);
  Type(() => UtmConditionDto)(target, key);
};

export class CreateAttributionRuleDto {
  @IsName({ example: 'Google Ads' })
  name: string;

  @ApiInteger({ optional: true, minimum: 0, maximum: MAX_PRIORITY, default: 0, description: 'Lower is tried first; ties by id' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_PRIORITY)
  priority?: number;

  @IsFlag({ default: true, description: 'Inactive rules are never tried' })
  is_active?: boolean;

  @Condition("Compared with the touch's utm_source")
  utm_source?: UtmConditionDto | null;

  @Condition("Compared with the touch's utm_medium")
  utm_medium?: UtmConditionDto | null;

  @Condition("Compared with the touch's utm_campaign")
  utm_campaign?: UtmConditionDto | null;

  @IsCode({ example: 'SOCIAL', description: 'A live lead source of the tenant' })
  source_code: string;

  @IsNullableCode('FACEBOOK', 'A live subsource of that source')
  sub_source_code?: string | null;

  @IsNullableCode('PAID', 'A live lead channel')
  channel_code?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, pattern: CODE_PATTERN.source, maxLength: 50, description: 'A live campaign' })
  @IsNullable()
  @IsString()
  @Matches(CODE_PATTERN, { message: '$property must match ^[A-Z][A-Z0-9_]{0,49}$' })
  campaign_code?: string | null;

  @IsNullableCode('FACEBOOK', 'A live campaign channel')
  campaign_channel_code?: string | null;
}

/** Partial; a new source_code clears sub_source_code unless the body names one. */
export class UpdateAttributionRuleDto extends PartialType(CreateAttributionRuleDto, { skipNullProperties: false }) {}

export class AttributionRuleResponseDto extends BaseResponseDto {
  @ApiProperty({ example: 'Google Ads' })
  name: string;
  @ApiInteger({ example: 10 })
  priority: number;
  @ApiProperty()
  is_active: boolean;
  @ApiProperty({ type: UtmConditionDto, nullable: true })
  utm_source: UtmConditionDto | null;
  @ApiProperty({ type: UtmConditionDto, nullable: true })
  utm_medium: UtmConditionDto | null;
  @ApiProperty({ type: UtmConditionDto, nullable: true })
  utm_campaign: UtmConditionDto | null;
  @ApiProperty({ example: 'SOCIAL' })
  source_code: string;
  @ApiProperty({ type: String, nullable: true })
  sub_source_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  channel_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  campaign_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  campaign_channel_code: string | null;
}

/** A touch's UTM parameter as the dry-run takes it: up to 255 characters, no control character; absent, null or '' is not given. */
const TouchText = (example: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, maxLength: 255, nullable: true, pattern: TEXT_PATTERNS.label, example }),
    IsNullable(),
    IsString(),
    CodePointLength(0, 255),
    HasNoControlCharacters(),
  );

export class AttributionDryRunDto {
  @TouchText('google')
  utm_source?: string | null;

  @TouchText('cpc')
  utm_medium?: string | null;

  @TouchText('spring_sale')
  utm_campaign?: string | null;
}

export class SkippedRuleDto {
  @ApiInteger({ example: 3 })
  id: number;
  @ApiProperty({ example: 'campaign_code: campaign SPRING_2026 not found' })
  reason: string;
}

export class AttributionDryRunResponseDto {
  @ApiProperty({ type: String, nullable: true, example: 'google', description: 'The touch resolved, as sent' })
  utm_source: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'cpc' })
  utm_medium: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'spring_sale' })
  utm_campaign: string | null;
  @ApiProperty({ type: AttributionRuleResponseDto, nullable: true, description: 'The rule that matched; null: none did' })
  matched_rule: AttributionRuleResponseDto | null;
  @ApiProperty({ type: String, nullable: true, example: 'SOCIAL', description: 'null only when unmapped and the UNMAPPED subsource is not live' })
  source_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  sub_source_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  channel_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  campaign_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  campaign_channel_code: string | null;
  @ApiProperty({ description: 'No rule matched: the touch goes to UNMAPPED/UNMAPPED' })
  unmapped: boolean;
  @ApiProperty({ type: [SkippedRuleDto], description: 'Matching rules passed over, in the order tried, because a code they name is no longer live' })
  skipped_rules: SkippedRuleDto[];
}
