import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { BaseResponseDto } from '../../common/http/base-response.dto';
import { IsCode, IsDisplayOrder, IsFlag, IsName, IsText } from '../../common/validation/decorators';
import { ApiInteger } from '../../common/http/api-integer';

export class CreateCampaignBudgetTypeDto {
  @IsCode({ example: 'MONTHLY' })
  budget_type_code: string;

  @IsName({ example: 'Monthly' })
  budget_type_name: string;

  @IsText(2000)
  description?: string | null;

  @IsDisplayOrder()
  display_order?: number;

  @IsFlag({ default: true })
  is_active?: boolean;
}

export class UpdateCampaignBudgetTypeDto extends PartialType(OmitType(CreateCampaignBudgetTypeDto, ['budget_type_code'] as const), {
  skipNullProperties: false,
}) {}

export class CampaignBudgetTypeResponseDto extends BaseResponseDto {
  @ApiProperty({ example: 'TOTAL' })
  budget_type_code: string;
  @ApiProperty({ example: 'Total' })
  budget_type_name: string;
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  @ApiInteger()
  display_order: number;
  @ApiProperty()
  is_active: boolean;
}
