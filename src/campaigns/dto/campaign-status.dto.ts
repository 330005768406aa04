import { ApiProperty } from '@nestjs/swagger';
import { CreateConfigResourceDto, ConfigResourceResponseDto, UpdateConfigResourceDto } from '../../config-resource/config-resource.dto';
import { IsCode, IsColorHex, IsFlag, IsName } from '../../common/validation/decorators';
import { IsCodeList } from './validators';

export class CreateCampaignStatusDto extends CreateConfigResourceDto {
  @IsCode({ example: 'ON_HOLD' })
  status_code: string;

  @IsName({ example: 'On hold' })
  status_name: string;

  @IsColorHex()
  color_hex?: string | null;

  @IsFlag({ default: false, description: 'New campaigns start here; setting it clears the previous initial status' })
  is_initial?: boolean;

  @IsFlag({ default: false, description: 'No transition leaves a final status' })
  is_final?: boolean;

  @IsFlag({ default: true, description: 'false locks campaigns in this status against PATCH and metric writes' })
  allows_editing?: boolean;

  @IsCodeList(50, ['ACTIVE'], 'Codes of live statuses this one may move to; empty = any non-initial status')
  allowed_transitions?: string[];
}

export class UpdateCampaignStatusDto extends UpdateConfigResourceDto(CreateCampaignStatusDto, 'status_code') {}

export class CampaignStatusResponseDto extends ConfigResourceResponseDto {
  @ApiProperty({ example: 'ACTIVE' })
  status_code: string;
  @ApiProperty({ example: 'Active' })
  status_name: string;
  @ApiProperty({ type: String, nullable: true })
  color_hex: string | null;
  @ApiProperty()
  is_initial: boolean;
  @ApiProperty()
  is_final: boolean;
  @ApiProperty()
  allows_editing: boolean;
  @ApiProperty({ type: [String], example: ['PAUSED', 'COMPLETED'] })
  allowed_transitions: string[];
}
