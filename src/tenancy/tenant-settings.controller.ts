import { Body, Controller, Get, Headers, Patch, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblemResponses } from '../common/errors/problem.dto';
import { parseIfMatch, setEtag } from '../common/http/etag';
import { ADMIN_ONLY, ANY_ROLE, Roles } from './roles.decorator';
import { TenantSettingsResponseDto, UpdateTenantSettingsDto } from './tenant-settings.dto';
import { TenantSettingsService } from './tenant-settings.service';

/** `/settings`: the tenant's time zone and first day of the week (every role reads, admins change). */
@ApiTags('Settings')
@Controller('settings')
export class TenantSettingsController {
  constructor(private readonly settings: TenantSettingsService) {}

  @Get()
  @Roles(...ANY_ROLE)
  @ApiOperation({
    operationId: 'getSettings',
    summary: 'Get the tenant settings',
    description: "The tenant's time zone and first day of the week, with its version as ETag. A tenant that set nothing has UTC and monday.",
  })
  @ApiOkResponse({ type: TenantSettingsResponseDto })
  @ApiProblemResponses()
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<TenantSettingsResponseDto> {
    const settings = await this.settings.get();
    setEtag(reply, settings.version);
    return settings;
  }

  @Patch()
  @Roles(...ADMIN_ONLY)
  @ApiOperation({
    operationId: 'updateSettings',
    summary: 'Update the tenant settings',
    description:
      'Partial update: omitted fields stay as they are. A new week_start applies to the next answer. A new time_zone is applied in the background: the stored days are recomputed in it while answers keep the old zone (days_time_zone), then every answer switches at once; an answer never mixes the two. Setting time_zone back to days_time_zone gives up a change under way. With If-Match, answers 412 unless the settings are still at that version.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you read, e.g. "3"' })
  @ApiOkResponse({ type: TenantSettingsResponseDto })
  @ApiProblemResponses(400, 412, 413, 415)
  async update(
    @Body() body: UpdateTenantSettingsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TenantSettingsResponseDto> {
    const settings = await this.settings.update(body, parseIfMatch(ifMatch));
    setEtag(reply, settings.version);
    return settings;
  }
}
