import { Module, OnModuleInit } from '@nestjs/common';
import { TenantDefaultsRegistry } from '../tenancy/tenant-defaults';
import { LeadChannelRepository } from './lead-channel.repository';
import { LeadChannelsService } from './lead-channels.service';
import { LeadSourceRepository } from './lead-source.repository';
import { LeadChannelsController, LeadSourcesController } from './lead-sources.controller';
import { LeadSourcesDefaults } from './lead-sources.defaults';
import { LeadSourcesService } from './lead-sources.service';
import { LeadSubsourceRepository } from './lead-subsource.repository';
import { LeadSubsourcesController } from './lead-subsources.controller';
import { LeadSubsourcesService } from './lead-subsources.service';

/** Lead sources, subsources and lead channels (API.md §3). */
@Module({
  // The subsource controller first: its nested static segments must not be shadowed.
  controllers: [LeadSubsourcesController, LeadSourcesController, LeadChannelsController],
  providers: [
    LeadSourceRepository,
    LeadSubsourceRepository,
    LeadChannelRepository,
    LeadSourcesService,
    LeadSubsourcesService,
    LeadChannelsService,
    LeadSourcesDefaults,
  ],
  exports: [LeadSourcesService, LeadSubsourcesService, LeadChannelsService],
})
export class LeadSourcesModule implements OnModuleInit {
  constructor(
    private readonly registry: TenantDefaultsRegistry,
    private readonly defaults: LeadSourcesDefaults,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.defaults);
  }
}
