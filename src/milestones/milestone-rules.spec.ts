import { LeadMilestoneEntity } from './lead-milestone.entity';
import { contentErrors, newMilestoneRow, patchChanges, refusedSkip, writeErrors } from './milestone-rules';
import { MilestoneTypeEntity } from './milestone-type.entity';

const type = (over: Partial<MilestoneTypeEntity> = {}) =>
  ({
    id: 7,
    typeCode: 'VISIT',
    typeName: 'Visit',
    allowsNotes: true,
    allowsLocation: true,
    allowsAttachment: true,
    isMandatory: false,
    ...over,
  }) as MilestoneTypeEntity;

describe('contentErrors', () => {
  it('names each field a type does not allow; null clears and is always fine', () => {
    const strict = type({ allowsNotes: false, allowsLocation: false, allowsAttachment: false });
    expect(contentErrors(strict, { notes: 'x', location_name: 'HQ', document_urls: ['https://a.example/x'] }).map((e) => e.field)).toEqual([
      'notes',
      'location_name',
      'document_urls',
    ]);
    expect(contentErrors(strict, { notes: null, location_latitude: null, document_urls: [] })).toEqual([]);
  });

  it('wants latitude and longitude together when the type allows a location', () => {
    expect(contentErrors(type(), { location_latitude: 1 })).toEqual([
      { field: 'location_longitude', message: 'location_latitude and location_longitude go together' },
    ]);
    expect(contentErrors(type(), { location_latitude: 1, location_longitude: 2 })).toEqual([]);
    expect(contentErrors(type(), {})).toEqual([]);
  });
});

describe('writeErrors', () => {
  it('refuses an achieved_date before the day the lead was created, and checks none when the write sets none', () => {
    expect(writeErrors(type(), { achieved_date: '2026-01-01' }, '2026-01-02')).toEqual([
      { field: 'achieved_date', message: 'achieved_date is before the lead was created (2026-01-02)' },
    ]);
    expect(writeErrors(type(), { achieved_date: '2026-01-02' }, '2026-01-02')).toEqual([]);
    expect(writeErrors(type(), {}, '2026-01-02')).toEqual([]);
  });
});

describe('refusedSkip', () => {
  const mandatory = type({ isMandatory: true });
  it('refuses to make a milestone of a mandatory type skipped', () => {
    expect(refusedSkip(mandatory, 'skipped')).toBe('milestone type VISIT is mandatory and cannot be skipped');
    expect(refusedSkip(mandatory, 'skipped', 'completed')).not.toBeNull();
  });
  it('lets one stay skipped, and lets any other status or type through', () => {
    expect(refusedSkip(mandatory, 'skipped', 'skipped')).toBeNull();
    expect(refusedSkip(mandatory, 'completed')).toBeNull();
    expect(refusedSkip(mandatory, undefined, 'completed')).toBeNull();
    expect(refusedSkip(type(), 'skipped')).toBeNull();
  });
});

describe('newMilestoneRow', () => {
  it('defaults the status to completed, completed by the caller', () => {
    const row = newMilestoneRow(3, type(), { milestone_type_code: 'VISIT', achieved_date: '2026-01-05' }, 'u1');
    expect(row).toMatchObject({ leadId: 3, milestoneTypeId: 7, typeCode: 'VISIT', typeName: 'Visit', status: 'completed', completedBy: 'u1' });
    expect(row).toMatchObject({ achievedTime: null, notes: null, followUpRequired: false, documentUrls: [], metadata: {} });
  });
  it('records no completer for any other status', () => {
    expect(newMilestoneRow(3, type(), { milestone_type_code: 'VISIT', achieved_date: '2026-01-05', status: 'pending' }, 'u1').completedBy).toBeNull();
  });
});

describe('patchChanges', () => {
  const current = (over: Partial<LeadMilestoneEntity> = {}) => ({ status: 'completed', completedBy: 'u0', ...over }) as LeadMilestoneEntity;
  it('sets only the fields named', () => {
    expect(patchChanges(current(), { notes: 'n', follow_up_required: true }, 'u1')).toEqual({ notes: 'n', followUpRequired: true });
  });
  it('keeps the completer while completed, names the caller on completion, clears it on leaving', () => {
    expect(patchChanges(current(), { status: 'completed' }, 'u1')).toEqual({ status: 'completed' });
    expect(patchChanges(current({ status: 'pending', completedBy: null }), { status: 'completed' }, 'u1')).toEqual({ status: 'completed', completedBy: 'u1' });
    expect(patchChanges(current(), { status: 'failed' }, 'u1')).toEqual({ status: 'failed', completedBy: null });
  });
});
