import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import { IsCode, IsColorHex, IsDisplayOrder, IsFlag, IsName, IsText } from '../../common/validation/decorators';
import { IsCodeList } from './validators';
import { ApiInteger } from '../../common/http/api-integer';

export class CreateCampaignStatusDto {
  @IsCode({ example: 'ON_HOLD' })
  status_code: string;

  @IsName({ example: 'On hold' })
  status_name: string;

  @IsText(2000)
  description?: string | null;

  @IsColorHex()
  color_hex?: string | null;

  @IsDisplayOrder()
  display_order?: number;

  @IsFlag({ default: true })
  is_active?: boolean;

  @IsFlag({ default: false, description: 'New campaigns start here; setting it clears the previous initial status' })
  is_initial?: boolean;

  @IsFlag({ default: false, description: 'No transition leaves a final status' })
  is_final?: boolean;

  @IsFlag({ default: true, description: 'false locks campaigns in this status against PATCH and metric writes' })
  allows_editing?: boolean;

  @IsCodeList(50, ['ACTIVE'], 'Codes of live statuses this one may move to; empty = any non-initial status')
  allowed_transitions?: string[];
}

export class UpdateCampaignStatusDto extends PartialType(OmitType(CreateCampaignStatusDto, ['status_code'] as const), {
  skipNullProperties: false,
}) {}

export class CampaignStatusResponseDto extends BaseResponseDto {
  @ApiProperty({ example: 'ACTIVE' })
  status_code: string;
  @ApiProperty({ example: 'Active' })
  status_name: string;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  @ApiProperty({ type: String, nullable: true })
  color_hex: string | null;
  @ApiInteger()
  display_order: number;
  @ApiProperty()
  is_active: boolean;
  @ApiProperty()
  is_initial: boolean;
  @ApiProperty()
  is_final: boolean;
  @ApiProperty()
  allows_editing: boolean;
  @ApiProperty({ type: [String], example: ['PAUSED', 'COMPLETED'] })
  allowed_transitions: string[];
}
