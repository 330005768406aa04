import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TenantOwnedEntity } from '../../tenancy/tenant-owned.entity';

/** Fields every row carries (API.md §1). */
export class BaseResponseDto {
  @ApiProperty({ example: 1 })
  id: number;
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  @ApiProperty({ format: 'date-time' })
  updated_at: string;
  @ApiProperty({ example: 'user-1' })
  created_by: string;
  @ApiProperty({ example: 'user-1' })
  updated_by: string;
  @ApiProperty({ example: 1, description: 'Also sent as the ETag; send it back in If-Match' })
  version: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'Only on soft-deleted rows (include_deleted=true)' })
  deleted_at?: string;
}

export const toBaseResponse = (e: TenantOwnedEntity): BaseResponseDto => ({
  id: e.id,
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
  created_by: e.createdBy,
  updated_by: e.updatedBy,
  version: e.version,
  ...(e.deletedAt ? { deleted_at: e.deletedAt.toISOString() } : {}),
});
