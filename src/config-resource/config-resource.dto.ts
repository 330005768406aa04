import { Type } from '@nestjs/common';
import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { ApiInteger } from '../common/http/api-integer';
import { BaseResponseDto } from '../common/http/base-response.dto';
import { IsColorHex, IsDisplayOrder, IsFlag, IsLabel, IsText } from '../common/validation/decorators';

/*
 * The fields every configuration resource shares besides its code and name (which carry the
 * resource's own names: `source_code`, `type_name`…), as ConfigResourceEntity and its subclasses
 * store them. A DTO extends the class with the fields it has; its own fields follow them in the
 * OpenAPI schema.
 */

export class CreateConfigResourceDto {
  @IsText(2000)
  description?: string | null;

  @IsDisplayOrder()
  display_order?: number;

  @IsFlag({ default: true })
  is_active?: boolean;
}

export class CreateIconConfigResourceDto extends CreateConfigResourceDto {
  @IsLabel(100)
  icon?: string | null;
}

export class CreateIconColorConfigResourceDto extends CreateIconConfigResourceDto {
  @IsColorHex()
  color_hex?: string | null;
}

export class ConfigResourceResponseDto extends BaseResponseDto {
  @ApiProperty({ type: String, nullable: true })
  description: string | null;
  @ApiInteger()
  display_order: number;
  @ApiProperty()
  is_active: boolean;
}

export class IconConfigResourceResponseDto extends ConfigResourceResponseDto {
  @ApiProperty({ type: String, nullable: true })
  icon: string | null;
}

/**
 * A configuration resource's PATCH body: every field of its create body but the code. Codes are
 * immutable: sending one on PATCH is an unknown field (400). Null is validated (and refused where the
 * create body refuses it), not skipped.
 */
export function UpdateConfigResourceDto<T, K extends keyof T>(create: Type<T>, code: K) {
  return PartialType(OmitType(create, [code] as const), { skipNullProperties: false });
}
