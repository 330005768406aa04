import { checkStageOrder, duplicateCodeErrors, LeadStages, newLeadStages, patchedStages, stampStages } from './lead-rules';

const t = (s: string) => new Date(s);
const base = (over: Partial<LeadStages> = {}): LeadStages => ({
  status: 'new',
  createdAt: t('2026-01-01T00:00:00Z'),
  contactedAt: null,
  qualifiedAt: null,
  convertedAt: null,
  lostAt: null,
  expectedValue: 100,
  convertedValue: null,
  ...over,
});

describe('stampStages', () => {
  const at = t('2026-01-05T10:00:00Z');
  it('stamps nothing for a new lead', () => {
    expect(stampStages(base(), at)).toEqual(base());
  });
  it('stamps the stages a conversion passed, and defaults converted_value to expected_value', () => {
    const s = stampStages(base({ status: 'converted' }), at);
    expect([s.contactedAt, s.qualifiedAt, s.convertedAt]).toEqual([at, at, at]);
    expect(s.convertedValue).toBe(100);
    expect(s.lostAt).toBeNull();
  });
  it('stamps the stages a given later timestamp implies, whatever the status', () => {
    const q = t('2026-01-03T00:00:00Z');
    const s = stampStages(base({ qualifiedAt: q, convertedAt: t('2026-01-04T00:00:00Z') }), base().createdAt);
    expect([s.status, s.contactedAt, s.qualifiedAt]).toEqual(['new', base().createdAt, q]);
    const lost = stampStages(base({ status: 'lost', convertedAt: q }), at);
    expect([lost.contactedAt, lost.qualifiedAt, lost.convertedValue]).toEqual([q, q, null]);
  });
  it('stamps a passed stage no earlier than the previous stage given', () => {
    const c = t('2026-01-03T00:00:00Z');
    const s = stampStages(base({ status: 'qualified', contactedAt: c }), base().createdAt);
    expect([s.contactedAt, s.qualifiedAt]).toEqual([c, c]);
  });
  it('keeps timestamps already reached or given', () => {
    const given = t('2026-01-02T00:00:00Z');
    const s = stampStages(base({ status: 'qualified', contactedAt: given }), at);
    expect(s.contactedAt).toBe(given);
    expect(s.qualifiedAt).toBe(at);
    expect(s.convertedAt).toBeNull();
  });
  it('stamps only lost_at for a lost lead and keeps an explicit converted_value', () => {
    expect(stampStages(base({ status: 'lost' }), at)).toEqual(base({ status: 'lost', lostAt: at }));
    expect(stampStages(base({ status: 'converted', convertedValue: 7 }), at).convertedValue).toBe(7);
  });
  it('never stamps a passed stage after a later stage given by the caller', () => {
    const converted = t('2026-01-03T00:00:00Z');
    const s = stampStages(base({ status: 'converted', convertedAt: converted }), at);
    expect([s.contactedAt, s.qualifiedAt, s.convertedAt]).toEqual([converted, converted, converted]);
  });
  it('never stamps before created_at', () => {
    const created = t('2026-02-01T00:00:00Z');
    expect(stampStages(base({ status: 'contacted', createdAt: created }), at).contactedAt).toEqual(created);
  });
});

describe('checkStageOrder', () => {
  it('accepts a monotone history', () => {
    expect(checkStageOrder(base({ contactedAt: t('2026-01-02'), qualifiedAt: t('2026-01-03'), convertedAt: t('2026-01-03') }))).toEqual([]);
  });
  it('names a stage before created_at', () => {
    expect(checkStageOrder(base({ convertedAt: t('2025-12-31') }))).toEqual([{ field: 'converted_at', message: 'converted_at is before created_at' }]);
  });
  it('names a stage before an earlier one, with the row prefix', () => {
    expect(checkStageOrder(base({ contactedAt: t('2026-01-05'), convertedAt: t('2026-01-04') }), 'leads[2].')).toEqual([
      { field: 'leads[2].converted_at', message: 'converted_at is before contacted_at' },
    ]);
  });
});

describe('newLeadStages', () => {
  const now = t('2026-01-10T12:00:00Z');
  it('defaults created_at to now and the status to new', () => {
    expect(newLeadStages({ source_code: 'WEB' }, now)).toEqual({ stages: base({ createdAt: now, expectedValue: 0 }), errors: [] });
  });
  it('stamps a back-filled lead at its created_at', () => {
    const { stages } = newLeadStages({ source_code: 'WEB', status: 'contacted', created_at: '2026-01-02T00:00:00Z' }, now);
    expect(stages.contactedAt).toEqual(t('2026-01-02T00:00:00Z'));
  });
  it('names future and out-of-order timestamps with the row prefix', () => {
    const { errors } = newLeadStages(
      { source_code: 'WEB', created_at: '2026-01-05T00:00:00Z', contacted_at: '2026-01-04T00:00:00Z', lost_at: '2026-02-01T00:00:00Z' },
      now,
      'leads[1].',
    );
    expect(errors).toEqual([
      { field: 'leads[1].lost_at', message: 'lost_at is in the future' },
      { field: 'leads[1].contacted_at', message: 'contacted_at is before created_at' },
    ]);
  });
});

describe('patchedStages', () => {
  const at = t('2026-01-05T10:00:00Z');
  it('keeps what the body does not name and stamps what the new status reaches at the time of the write', () => {
    const current = base({ status: 'contacted', contactedAt: t('2026-01-02T00:00:00Z') });
    expect(patchedStages(current, { status: 'qualified' }, at)).toEqual({ stages: { ...current, status: 'qualified', qualifiedAt: at }, errors: [] });
  });
  it('names a future timestamp and a stage before created_at, without a prefix', () => {
    const { errors } = patchedStages(base(), { contacted_at: '2025-12-01T00:00:00Z', lost_at: '2026-02-01T00:00:00Z' }, at);
    expect(errors).toEqual([
      { field: 'lost_at', message: 'lost_at is in the future' },
      { field: 'contacted_at', message: 'contacted_at is before created_at' },
    ]);
  });
});

describe('duplicateCodeErrors', () => {
  const prefix = (i: number) => `leads[${i}].`;
  it('names rows whose code is taken or given by an earlier row', () => {
    expect(duplicateCodeErrors(['A', 'B', null, 'B', 'C'], new Set(['A']), prefix, new Set())).toEqual([
      { field: 'leads[0].lead_code', message: 'lead_code A is already in use' },
      { field: 'leads[3].lead_code', message: 'lead_code B is already in use' },
    ]);
  });
  it('leaves out skipped rows, whose codes count for no later row', () => {
    expect(duplicateCodeErrors(['B', 'B'], new Set(), prefix, new Set([0]))).toEqual([]);
  });
});
