import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUrl, Matches } from 'class-validator';
import { ApiInteger } from '../../common/http/api-integer';
import { CodePointLength, HasNoControlCharacters, IsOmittable, TEXT_PATTERNS } from '../../common/validation/decorators';
import { Timestamp } from './timestamp';

/** A UTM value as received: 1..255 characters with no control character. */
const Utm = (description: string, example?: string) => (target: object, key: string) => {
  ApiPropertyOptional({ type: String, minLength: 1, maxLength: 255, pattern: TEXT_PATTERNS.label, description, example })(target, key);
  IsOmittable()(target, key);
  IsString()(target, key);
  CodePointLength(1, 255)(target, key);
  HasNoControlCharacters()(target, key);
};

/** A click id: 1..255 printable ASCII characters without spaces (what ad platforms append to URLs). */
const CLICK_ID = /^[\x21-\x7E]{1,255}$/;
const ClickId = (platform: string) => (target: object, key: string) => {
  ApiPropertyOptional({ type: String, maxLength: 255, pattern: CLICK_ID.source, description: `${platform} click id` })(target, key);
  IsOmittable()(target, key);
  IsString()(target, key);
  Matches(CLICK_ID, { message: `${key} must be 1..255 printable ASCII characters without spaces` })(target, key);
};

/** An absolute http(s) URL of at most 2,048 characters. */
const Url = (description: string, example: string) => (target: object, key: string) => {
  ApiPropertyOptional({ type: String, format: 'uri', pattern: '^https?://', minLength: 1, maxLength: 2048, description, example })(target, key);
  IsOmittable()(target, key);
  IsString()(target, key);
  CodePointLength(1, 2048)(target, key);
  IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: `${key} must be an absolute http or https URL` })(target, key);
};

/**
 * A touch: one visit that brought a lead or brought it back (docs/attribution.md). Every field is
 * optional; unknown fields are refused (400) like everywhere.
 */
export class TouchDto {
  @Utm('Where the visit came from (e.g. google, newsletter)', 'google')
  utm_source?: string;

  @Utm('The marketing medium (e.g. cpc, email)', 'cpc')
  utm_medium?: string;

  @Utm('The campaign name as tagged in the link', 'spring-sale')
  utm_campaign?: string;

  @Utm('Which ad or link was clicked')
  utm_content?: string;

  @Utm('The paid search keyword')
  utm_term?: string;

  @ClickId('Google Ads')
  gclid?: string;

  @ClickId('Meta (Facebook, Instagram)')
  fbclid?: string;

  @ClickId('Microsoft Advertising')
  msclkid?: string;

  @Url('The page the visitor came from', 'https://www.google.com/')
  referrer?: string;

  @Url('The first page of the visit', 'https://example.com/offer?utm_source=google')
  landing_page?: string;

  @Timestamp(
    "When the visit happened; at most 5 minutes ahead. With a new lead it defaults to the lead's created_at; a later touch defaults to now and may not be before the lead's first point",
    '2025-03-02T08:55:00Z',
  )
  occurred_at?: string;
}

/** Where a touch was attributed, as codes (null: none). */
export class TouchAttributionDto {
  @ApiInteger({ nullable: true, description: 'The attribution rule that matched the touch when it was recorded' })
  rule_id: number | null;
  @ApiProperty({ type: String, nullable: true })
  source_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  sub_source_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  channel_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  campaign_code: string | null;
  @ApiProperty({ type: String, nullable: true })
  campaign_channel_code: string | null;
}

/** A touch as a lead shows it (first_touch, last_touch). */
export class TouchSummaryDto {
  @ApiInteger()
  id: number;
  @ApiProperty({ description: "The touch given with the lead's creation: its credit goes to the lead's own codes" })
  is_origin: boolean;
  @ApiProperty({ format: 'date-time' })
  occurred_at: string;
  @ApiProperty({ type: String, nullable: true })
  utm_source: string | null;
  @ApiProperty({ type: String, nullable: true })
  utm_medium: string | null;
  @ApiProperty({ type: String, nullable: true })
  utm_campaign: string | null;
  @ApiProperty({ type: String, nullable: true })
  utm_content: string | null;
  @ApiProperty({ type: String, nullable: true })
  utm_term: string | null;
  @ApiProperty({ type: String, nullable: true })
  gclid: string | null;
  @ApiProperty({ type: String, nullable: true })
  fbclid: string | null;
  @ApiProperty({ type: String, nullable: true })
  msclkid: string | null;
  @ApiProperty({ type: String, nullable: true })
  referrer: string | null;
  @ApiProperty({ type: String, nullable: true })
  landing_page: string | null;
}

export class TouchResponseDto extends TouchSummaryDto {
  @ApiInteger()
  lead_id: number;
  @ApiProperty({
    type: TouchAttributionDto,
    description:
      "Where the touch's credit goes: for the origin, the lead's own codes (and the matched rule's campaign channel); otherwise what it resolved to when recorded",
  })
  attributed_to: TouchAttributionDto;
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  @ApiProperty()
  created_by: string;
}

export class ListTouchesResponseDto {
  @ApiProperty({ type: [TouchResponseDto], description: 'In path order: occurred_at, then id' })
  data: TouchResponseDto[];
}
