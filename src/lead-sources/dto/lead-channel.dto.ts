import { ApiProperty } from '@nestjs/swagger';
import { CreateIconConfigResourceDto, IconConfigResourceResponseDto, UpdateConfigResourceDto } from '../../config-resource/config-resource.dto';
import { IsCode, IsName } from '../../common/validation/decorators';

export class CreateLeadChannelDto extends CreateIconConfigResourceDto {
  @IsCode({ example: 'EVENTS' })
  channel_code: string;

  @IsName({ example: 'Events' })
  channel_name: string;
}

export class UpdateLeadChannelDto extends UpdateConfigResourceDto(CreateLeadChannelDto, 'channel_code') {}

export class LeadChannelResponseDto extends IconConfigResourceResponseDto {
  @ApiProperty({ example: 'PAID' })
  channel_code: string;
  @ApiProperty({ example: 'Paid' })
  channel_name: string;
}
