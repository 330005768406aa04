import { unchanged } from './patch';

describe('unchanged', () => {
  const current = { name: 'Web', order: 3, note: null as string | null, meta: { a: [1, 'b'] } };

  it('is true when every changed field already holds its value (nested values by value, null like undefined)', () => {
    expect(unchanged(current, {})).toBe(true);
    expect(unchanged(current, { name: 'Web', meta: { a: [1, 'b'] } })).toBe(true);
    expect(unchanged(current, { note: undefined })).toBe(true);
  });

  it('is false as soon as one field differs', () => {
    expect(unchanged(current, { name: 'Web', order: 4 })).toBe(false);
    expect(unchanged(current, { meta: { a: [1] } })).toBe(false);
    expect(unchanged(current, { note: '' })).toBe(false);
  });
});
