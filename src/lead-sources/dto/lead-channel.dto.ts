import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { CreateIconConfigResourceDto, IconConfigResourceResponseDto } from '../../config-resource/config-resource.dto';
import { IsCode, IsName } from '../../common/validation/decorators';

export class CreateLeadChannelDto extends CreateIconConfigResourceDto {
  @IsCode({ example: 'EVENTS' })
  channel_code: string;

  @IsName({ example: 'Events' })
  channel_name: string;
}

export class UpdateLeadChannelDto extends PartialType(OmitType(CreateLeadChannelDto, ['channel_code'] as const), {
  skipNullProperties: false,
}) {}

export class LeadChannelResponseDto extends IconConfigResourceResponseDto {
  @ApiProperty({ example: 'PAID' })
  channel_code: string;
  @ApiProperty({ example: 'Paid' })
  channel_name: string;
}
