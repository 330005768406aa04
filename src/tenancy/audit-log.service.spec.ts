import { diffRepresentations } from './audit-log.service';

/** The field-by-field comparison through JSON, as diffRepresentations does for updates. */
function slowDiff(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const b = before ?? {};
  const a = after ?? {};
  const out: Record<string, [unknown, unknown]> = {};
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by'].includes(key)) continue;
    const x = b[key] === undefined ? null : b[key];
    const y = a[key] === undefined ? null : a[key];
    if (JSON.stringify(x) !== JSON.stringify(y)) out[key] = [x, y];
  }
  return out;
}

describe('diffRepresentations', () => {
  const row = {
    id: 7,
    version: 1,
    created_at: '2026-01-01T00:00:00.000Z',
    created_by: 'u',
    code: 'A',
    name: '',
    count: 0,
    rate: null,
    missing: undefined,
    ratio: Number.NaN,
    flag: false,
    list: [],
    meta: {},
    nested: { a: null },
  };

  it('a create or a delete lists every field that is not null, like the full comparison', () => {
    expect(diffRepresentations(null, row)).toEqual(slowDiff(null, row));
    expect(diffRepresentations(row, null)).toEqual(slowDiff(row, null));
    expect(Object.keys(diffRepresentations(null, row))).toEqual(['code', 'name', 'count', 'flag', 'list', 'meta', 'nested']);
    expect(diffRepresentations(null, null)).toEqual({});
  });

  it('an update lists the fields that differ', () => {
    const after = { ...row, version: 2, name: 'x', count: 0, rate: 1, list: [1] };
    expect(diffRepresentations(row, after)).toEqual({ name: ['', 'x'], rate: [null, 1], list: [[], [1]] });
    expect(diffRepresentations(row, after)).toEqual(slowDiff(row, after));
  });
});
