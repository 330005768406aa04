import { checkStageOrder, LeadStages, stampStages } from './lead-rules';

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
