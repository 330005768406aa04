import { FieldError } from '../common/errors/app-error';
import { CreateLeadMilestoneDto, UpdateLeadMilestoneDto } from './dto/lead-milestone.dto';
import { LeadMilestoneEntity, MilestoneStatus } from './lead-milestone.entity';
import { MilestoneTypeEntity } from './milestone-type.entity';

/**
 * The rules of a lead milestone write (API.md §4), pure: what a type's flags allow, the date limit,
 * the mandatory-skip rule, and the row or changes a write stores. The services check the lead and
 * the type, then apply these; a single write, a PATCH and the bulk import share them.
 */

/** The content fields a type's flags govern, as a write sets them (undefined: not set by this write). */
export interface MilestoneContent {
  notes?: string | null;
  location_latitude?: number | null;
  location_longitude?: number | null;
  location_name?: string | null;
  document_urls?: string[];
}

/** The type's flags: content it does not allow → an error naming each field (null clears and is always fine). */
export function contentErrors(type: MilestoneTypeEntity, c: MilestoneContent): FieldError[] {
  const errors: FieldError[] = [];
  const set = (v: unknown) => v !== undefined && v !== null;
  if (!type.allowsNotes && set(c.notes)) errors.push({ field: 'notes', message: `milestone type ${type.typeCode} does not allow notes` });
  if (!type.allowsLocation) {
    for (const field of ['location_latitude', 'location_longitude', 'location_name'] as const) {
      if (set(c[field])) errors.push({ field, message: `milestone type ${type.typeCode} does not allow a location` });
    }
  } else if (set(c.location_latitude) !== set(c.location_longitude) && (c.location_latitude !== undefined || c.location_longitude !== undefined)) {
    errors.push({ field: 'location_longitude', message: 'location_latitude and location_longitude go together' });
  }
  if (!type.allowsAttachment && (c.document_urls?.length ?? 0) > 0) {
    errors.push({ field: 'document_urls', message: `milestone type ${type.typeCode} does not allow attachments` });
  }
  return errors;
}

/**
 * Every field error of a write's body against its type and its lead's creation day (UTC): the
 * content flags, then achieved_date (when the write sets it) not before the lead was created.
 */
export function writeErrors(type: MilestoneTypeEntity, body: MilestoneContent & { achieved_date?: string }, leadCreatedDay: string): FieldError[] {
  const errors = contentErrors(type, body);
  if (body.achieved_date !== undefined && body.achieved_date < leadCreatedDay) {
    errors.push({ field: 'achieved_date', message: `achieved_date is before the lead was created (${leadCreatedDay})` });
  }
  return errors;
}

/**
 * A mandatory type cannot be skipped: the message refusing a write that makes a milestone of `type`
 * skipped (`status`) when it was not (`from`, the stored status; none for a new milestone), else null.
 */
export function refusedSkip(type: MilestoneTypeEntity, status: MilestoneStatus | undefined, from?: MilestoneStatus): string | null {
  return status === 'skipped' && from !== 'skipped' && type.isMandatory ? `milestone type ${type.typeCode} is mandatory and cannot be skipped` : null;
}

/** A new milestone's row as a write stores it (its chain links come after); `userId` is the caller. */
export function newMilestoneRow(leadId: number, type: MilestoneTypeEntity, dto: CreateLeadMilestoneDto, userId: string): Partial<LeadMilestoneEntity> {
  const status = dto.status ?? 'completed';
  return {
    leadId,
    milestoneTypeId: type.id,
    typeCode: type.typeCode,
    typeName: type.typeName,
    achievedDate: dto.achieved_date,
    achievedTime: dto.achieved_time ?? null,
    status,
    notes: dto.notes ?? null,
    locationLatitude: dto.location_latitude ?? null,
    locationLongitude: dto.location_longitude ?? null,
    locationName: dto.location_name ?? null,
    durationMinutes: dto.duration_minutes ?? null,
    outcome: dto.outcome ?? null,
    followUpRequired: dto.follow_up_required ?? false,
    followUpDate: dto.follow_up_date ?? null,
    documentUrls: dto.document_urls ?? [],
    metadata: dto.metadata ?? {},
    completedBy: status === 'completed' ? userId : null,
  };
}

/**
 * The columns a PATCH sets (only the fields it names). completed_by becomes the caller (`userId`)
 * when the status becomes completed, stays while it stays completed, and is cleared when it leaves
 * completed; it is among the changes only when it changes.
 */
export function patchChanges(current: LeadMilestoneEntity, dto: UpdateLeadMilestoneDto, userId: string): Partial<LeadMilestoneEntity> {
  const changes: Partial<LeadMilestoneEntity> = {};
  if (dto.achieved_date !== undefined) changes.achievedDate = dto.achieved_date;
  if (dto.achieved_time !== undefined) changes.achievedTime = dto.achieved_time;
  if (dto.status !== undefined) changes.status = dto.status;
  if (dto.outcome !== undefined) changes.outcome = dto.outcome;
  if (dto.notes !== undefined) changes.notes = dto.notes;
  if (dto.follow_up_required !== undefined) changes.followUpRequired = dto.follow_up_required;
  if (dto.follow_up_date !== undefined) changes.followUpDate = dto.follow_up_date;
  const status = changes.status ?? current.status;
  const completedBy = status !== 'completed' ? null : current.status === 'completed' ? current.completedBy : userId;
  if (completedBy !== current.completedBy) changes.completedBy = completedBy;
  return changes;
}
