import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { ListResponseDto, PageQueryDto, toListResponse } from '../common/http/list.dto';
import { AUDIT_ACTIONS, AuditAction, AuditLogEntity } from './audit-log.entity';
import { AuditLogService } from './audit-log.service';
import { ADMIN_ONLY, Roles } from './roles.decorator';
import { ApiInteger } from '../common/http/api-integer';
import { HasNoControlCharacters, HasNoSurroundingSpace } from '../common/validation/decorators';

export class ListAuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'lead_source', minLength: 1, maxLength: 64, description: 'Exact and case-sensitive (LEAD_SOURCE matches nothing)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @HasNoControlCharacters()
  @HasNoSurroundingSpace()
  entity_type?: string;

  @ApiPropertyOptional({ example: 'WEBSITE', minLength: 1, maxLength: 191, description: 'Exact and case-sensitive (website does not match WEBSITE)' })
  @IsOptional()
  @IsString()
  @Length(1, 191)
  @HasNoControlCharacters()
  @HasNoSurroundingSpace()
  entity_key?: string;
}

export class AuditLogEntryDto {
  @ApiInteger()
  id: number;
  @ApiProperty({ format: 'date-time' })
  at: string;
  @ApiProperty({ description: "The token's sub; `system` for default seeding" })
  actor: string;
  @ApiProperty({ enum: AUDIT_ACTIONS })
  action: AuditAction;
  @ApiProperty({ example: 'lead_source' })
  entity_type: string;
  @ApiProperty({ example: 'WEBSITE' })
  entity_key: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: {}, minItems: 2, maxItems: 2 },
    description: '{ field: [before, after] }',
  })
  changes: Record<string, [unknown, unknown]>;
}

const toAuditEntry = (e: AuditLogEntity): AuditLogEntryDto => ({
  id: e.id,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  entity_type: e.entityType,
  entity_key: e.entityKey,
  changes: e.changes,
});

@ApiTags('Audit log')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'listAuditLog',
    summary: 'List the audit log',
    description:
      'Every write of the tenant, newest first: who (actor), what (action, entity_type, entity_key) and the changed fields as [before, after]. Filter by entity_type and entity_key. Secrets never appear.',
  })
  @ApiOkResponse({ type: ListResponseDto(AuditLogEntryDto) })
  @ApiProblemResponses(400)
  async list(@Query() query: ListAuditLogQueryDto) {
    const page = { limit: query.limit, offset: query.offset };
    const rows = await this.audit.list({ entityType: query.entity_type, entityKey: query.entity_key }, page);
    return toListResponse(rows, page, toAuditEntry);
  }
}
