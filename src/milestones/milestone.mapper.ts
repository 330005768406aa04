import { withBase } from '../common/http/base-response.dto';
import { LeadMilestoneResponseDto } from './dto/lead-milestone.dto';
import { MilestoneTemplateResponseDto } from './dto/milestone-template.dto';
import { MilestoneTypeResponseDto } from './dto/milestone-type.dto';
import { LeadMilestoneEntity } from './lead-milestone.entity';
import { slaBreached } from './milestone-figures';
import { MilestoneTemplateEntity } from './milestone-template.entity';
import { MilestoneTypeEntity } from './milestone-type.entity';

export const toMilestoneTypeResponse = (e: MilestoneTypeEntity): MilestoneTypeResponseDto =>
  withBase(e, {
    type_code: e.typeCode,
    type_name: e.typeName,
    category: e.category,
    description: e.description,
    icon: e.icon,
    color_hex: e.colorHex,
    display_order: e.displayOrder,
    is_active: e.isActive,
    is_required: e.isRequired,
    is_mandatory: e.isMandatory,
    typical_duration_days: e.typicalDurationDays,
    sla_days: e.slaDays,
    allows_attachment: e.allowsAttachment,
    allows_location: e.allowsLocation,
    allows_notes: e.allowsNotes,
    metadata: e.metadata,
  });

export const toMilestoneTemplateResponse = (e: MilestoneTemplateEntity): MilestoneTemplateResponseDto =>
  withBase(e, {
    template_name: e.templateName,
    template_type: e.templateType,
    description: e.description,
    is_active: e.isActive,
    is_default: e.isDefault,
    sequence: e.sequence,
    estimated_days: e.estimatedDays,
  });

/** `slaDays` is the type's current SLA (sla_breached follows it when the type changes). */
export const toLeadMilestoneResponse = (e: LeadMilestoneEntity, slaDays: number | null): LeadMilestoneResponseDto =>
  withBase(e, {
    lead_id: e.leadId,
    milestone_type_id: e.milestoneTypeId,
    type_code: e.typeCode,
    type_name: e.typeName,
    achieved_date: e.achievedDate,
    achieved_time: e.achievedTime,
    status: e.status,
    notes: e.notes,
    location_latitude: e.locationLatitude,
    location_longitude: e.locationLongitude,
    location_name: e.locationName,
    duration_minutes: e.durationMinutes,
    outcome: e.outcome,
    follow_up_required: e.followUpRequired,
    follow_up_date: e.followUpDate,
    document_urls: e.documentUrls,
    metadata: e.metadata,
    completed_by: e.completedBy,
    days_from_previous: e.deletedAt ? null : e.daysFromPrevious,
    sla_breached: e.deletedAt ? false : slaBreached(e.daysFromPrevious, slaDays),
  });
