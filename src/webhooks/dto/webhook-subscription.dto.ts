import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiInteger } from '../../common/http/api-integer';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import { PageQueryDto } from '../../common/http/list.dto';
import { HasNoControlCharacters, IsFlag, IsOmittable, IsText } from '../../common/validation/decorators';
import { DOMAIN_EVENTS } from '../../events/domain-events';
import { SECRET_PATTERN } from '../signature';
import { DELIVERY_STATUSES, DeliveryStatus } from '../webhook-delivery.entity';

export const EVENT_NAMES: string[] = Object.values(DOMAIN_EVENTS);
export const URL_MAX_LENGTH = 2048;

export class CreateWebhookSubscriptionDto {
  @ApiProperty({
    format: 'uri',
    maxLength: URL_MAX_LENGTH,
    example: 'https://203.0.113.10/hooks/sales',
    description:
      'Where events are POSTed: https (http only where the operator allows private targets). Loopback, private, link-local and other reserved addresses are refused (400), as are host names that resolve to one.',
  })
  @IsString()
  @MaxLength(URL_MAX_LENGTH)
  @HasNoControlCharacters()
  url: string;

  @ApiProperty({
    type: [String],
    enum: EVENT_NAMES,
    minItems: 1,
    maxItems: EVENT_NAMES.length,
    uniqueItems: true,
    example: ['lead.created', 'lead.converted'],
    description: 'The domain events to receive',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_NAMES.length)
  @ArrayUnique()
  @IsIn(EVENT_NAMES, { each: true, message: `each value in $property must be one of ${EVENT_NAMES.join(', ')}` })
  event_types: string[];

  @ApiPropertyOptional({
    type: String,
    writeOnly: true,
    pattern: SECRET_PATTERN.source,
    minLength: 38,
    maxLength: 94,
    description:
      'Write-only signing secret: whsec_ and the base64 of 24 to 64 bytes. Generated when omitted on create and then returned once, in the create response; otherwise never returned (secret_last4 shows its end).',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(94)
  @Matches(SECRET_PATTERN, { message: '$property must be whsec_ followed by the base64 of 24 to 64 bytes' })
  secret?: string;

  @IsFlag({ default: true, description: 'Inactive subscriptions receive nothing' })
  active?: boolean;

  @IsText(2000)
  description?: string | null;
}

export class UpdateWebhookSubscriptionDto extends PartialType(CreateWebhookSubscriptionDto, { skipNullProperties: false }) {}

export class WebhookSubscriptionResponseDto extends BaseResponseDto {
  @ApiProperty({ example: 'https://203.0.113.10/hooks/sales' })
  url: string;
  @ApiProperty({ type: [String], enum: EVENT_NAMES, example: ['lead.created'] })
  event_types: string[];
  @ApiProperty({ example: 'x9Q=', description: 'Last four characters of the signing secret' })
  secret_last4: string;
  @ApiProperty()
  active: boolean;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
}

export class CreatedWebhookSubscriptionResponseDto extends WebhookSubscriptionResponseDto {
  @ApiPropertyOptional({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The generated signing secret (only when the request had none), in this response only: store it with the receiver now',
  })
  secret?: string;
}

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: 'Only deliveries in this status' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class WebhookDeliveryResponseDto {
  @ApiInteger({ example: 1 })
  id: number;
  @ApiProperty({ example: 'evt_3f2c9a1e4b5d4c7e8f9a0b1c2d3e4f5a', description: 'The event id: the webhook-id header, the same on every attempt' })
  event_id: string;
  @ApiProperty({ enum: EVENT_NAMES, example: 'lead.created' })
  event_type: string;
  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: DeliveryStatus;
  @ApiInteger({ example: 1 })
  attempts: number;
  @ApiInteger({ nullable: true, example: 500, description: "The last attempt's HTTP status; null when no answer came" })
  last_status_code: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 500: upstream unavailable' })
  last_error: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due (pending only)' })
  next_attempt_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  delivered_at: string | null;
  @ApiProperty({ format: 'date-time' })
  created_at: string;
}

export class RetriedDeliveriesResponseDto {
  @ApiInteger({ example: 3, description: 'Dead deliveries put back to pending' })
  retried: number;
}
