import { ApiProperty } from '@nestjs/swagger';
import { CreateConfigResourceDto, ConfigResourceResponseDto, UpdateConfigResourceDto } from '../../config-resource/config-resource.dto';
import { IsCode, IsName } from '../../common/validation/decorators';

export class CreateCampaignBudgetTypeDto extends CreateConfigResourceDto {
  @IsCode({ example: 'MONTHLY' })
  budget_type_code: string;

  @IsName({ example: 'Monthly' })
  budget_type_name: string;
}

export class UpdateCampaignBudgetTypeDto extends UpdateConfigResourceDto(CreateCampaignBudgetTypeDto, 'budget_type_code') {}

export class CampaignBudgetTypeResponseDto extends ConfigResourceResponseDto {
  @ApiProperty({ example: 'TOTAL' })
  budget_type_code: string;
  @ApiProperty({ example: 'Total' })
  budget_type_name: string;
}
