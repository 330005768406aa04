import { Injectable } from '@nestjs/common';
import { LeadEntity } from './lead.entity';

/** What another module does when a lead is deleted, inside the delete's transaction. */
export interface LeadDeletionHandler {
  name: string;
  onLeadDeleted(lead: LeadEntity, deletedAt: Date): Promise<void>;
}

/**
 * A deleted lead takes what other modules own for it along (API.md §1: a delete cascades to what
 * the row owns). Modules that build on leads (milestones) register here in onModuleInit; lead-sources
 * never imports them, as tenancy never imports the modules whose defaults it seeds.
 */
@Injectable()
export class LeadLifecycle {
  private readonly handlers: LeadDeletionHandler[] = [];

  onDelete(handler: LeadDeletionHandler): void {
    if (this.handlers.some((h) => h.name === handler.name)) throw new Error(`lead deletion handler ${handler.name} registered twice`);
    this.handlers.push(handler);
  }

  async leadDeleted(lead: LeadEntity, deletedAt: Date): Promise<void> {
    for (const handler of this.handlers) await handler.onLeadDeleted(lead, deletedAt);
  }
}
