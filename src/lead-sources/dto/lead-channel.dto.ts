import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import { IsCode, IsDisplayOrder, IsFlag, IsLabel, IsName, IsText } from '../../common/validation/decorators';
import { ApiInteger } from '../../common/http/api-integer';

export class CreateLeadChannelDto {
  @IsCode({ example: 'EVENTS' })
  channel_code: string;

  @IsName({ example: 'Events' })
  channel_name: string;

  @IsText(2000)
  description?: string | null;

  @IsLabel(100)
  icon?: string | null;

  @IsDisplayOrder()
  display_order?: number;

  @IsFlag({ default: true })
  is_active?: boolean;
}

export class UpdateLeadChannelDto extends PartialType(OmitType(CreateLeadChannelDto, ['channel_code'] as const), {
  skipNullProperties: false,
}) {}

export class LeadChannelResponseDto extends BaseResponseDto {
  @ApiProperty({ example: 'PAID' })
  channel_code: string;
  @ApiProperty({ example: 'Paid' })
  channel_name: string;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  @ApiProperty({ type: String, nullable: true })
  icon: string | null;
  @ApiInteger()
  display_order: number;
  @ApiProperty()
  is_active: boolean;
}
