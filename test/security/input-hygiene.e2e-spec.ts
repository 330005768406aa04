import { TEXT_PATTERNS } from '../../src/common/validation/decorators';
import { newTenantId } from '../support/tenants';
import { answer } from './support/checks';
import { ApiDoc, fillPath, Operation, readApiDoc, Schema } from './support/openapi';
import { SecureApi, startSecureApi } from './support/secure-api';

// Sends every string field of every write route: up to 65 s a test on two busy cores.
jest.setTimeout(300_000);

/**
 * Input hygiene over every write of the OpenAPI document (docs/conventions.md, "Input"): every string a request
 * body can carry, at the top level or in a row of a batch (`leads[]`, `metrics[]`, `channels[]`) or
 * as an item of a list (`kpis`), refuses NUL with 400 naming that field; names refuse every control
 * character and blank values; free text keeps tab, line feed and carriage return. A string field
 * added later is in this matrix without anyone listing it.
 */

interface StringField {
  /** As the 400 names it: `source_name`, `leads[0].lead_code`, `kpis`. */
  field: string;
  schema: Schema;
  /** A body carrying `value` in that field and nothing else. */
  body(value: string): Record<string, unknown>;
}

/** The string fields of a body schema, rows of arrays of objects included (first row). */
function stringFields(doc: ApiDoc, s: Schema, prefix = '', wrap: (v: Record<string, unknown>) => Record<string, unknown> = (v) => v): StringField[] {
  return Object.entries(doc.resolve(s).properties ?? {}).flatMap(([name, ps]): StringField[] => {
    const p = doc.resolve(ps);
    const field = `${prefix}${name}`;
    if (p.type === 'string' && !p.enum) return [{ field, schema: p, body: (v) => wrap({ [name]: v }) }];
    if (p.type !== 'array' || !p.items) return [];
    const items = doc.resolve(p.items);
    if (items.type === 'string' && !items.enum) return [{ field, schema: items, body: (v) => wrap({ [name]: [v] }) }];
    if (items.properties) return stringFields(doc, items, `${field}[0].`, (row) => wrap({ [name]: [row] }));
    return [];
  });
}

/** Values for path parameters that pass their format checks (the body is validated before any lookup). */
const PATH_VALUES: Record<string, string> = { id: '1', lead_id: '1' };
const pathOf = (op: Operation) => fillPath(op.path, Object.fromEntries(op.params.map((p) => [p, PATH_VALUES[p] ?? 'WEBSITE'])));

describe('input hygiene: control characters and blank names, on every write', () => {
  let api: SecureApi;
  let doc: ApiDoc;
  let fields: { op: Operation; f: StringField }[];
  beforeAll(async () => {
    api = await startSecureApi();
    doc = await readApiDoc(api);
    fields = doc.ops.filter((op) => op.body).flatMap((op) => stringFields(doc, op.body!.schema).map((f) => ({ op, f })));
  });
  afterAll(async () => {
    api.expectClean();
    await api.close();
  });

  /** The field errors of the answer to `op` with `body`, as admin of a fresh tenant. */
  const send = async (op: Operation, body: Record<string, unknown>) => {
    const res = await api.as({ tenant: newTenantId('hyg'), role: 'admin' }).send(op.method, pathOf(op), { body });
    const errors: { field: string; message: string }[] = res.statusCode === 400 ? (res.json().errors ?? []) : [];
    return { res, errors };
  };
  const names = (errors: { field: string }[], field: string) => errors.filter((e) => e.field === field || e.field.startsWith(`${field}[`));

  it('refuses NUL in every string of every body, naming the field', async () => {
    expect(fields.length).toBeGreaterThan(60);
    const missed: string[] = [];
    for (const { op, f } of fields) {
      const { res, errors } = await send(op, f.body('a\u0000b'));
      if (res.statusCode !== 400 || names(errors, f.field).length === 0) missed.push(`${op.key} ${f.field}: ${answer(res)}`);
    }
    expect(missed).toEqual([]);
  });

  it('gives every name the name rule, and enforces the name, label and free-text rules', async () => {
    const byPattern = (pattern: string) => fields.filter(({ f }) => f.schema.pattern === pattern);
    // Every display name of every resource is a name.
    const nameFields = new Set(byPattern(TEXT_PATTERNS.name).map(({ f }) => f.field));
    expect([...nameFields].sort()).toEqual(
      [
        'budget_type_name',
        'campaign_name',
        'channel_name',
        'kpis',
        'name',
        'source_name',
        'status_name',
        'sub_source_name',
        'template_name',
        'type_name',
      ].sort(),
    );
    // (Every other string is a code, a date, a time, a URL, a lead code or a secret, each with its own
    // format; the NUL test above covers them all.)

    const wrong: string[] = [];
    for (const { op, f } of byPattern(TEXT_PATTERNS.name)) {
      for (const value of [' ', '\u3000\u00A0', 'Trade\nfair', 'bell\u0007', 'C1\u0085']) {
        const { res, errors } = await send(op, f.body(value));
        if (names(errors, f.field).length === 0) wrong.push(`${op.key} ${f.field} took ${JSON.stringify(value)}: ${answer(res)}`);
      }
    }
    for (const { op, f } of byPattern(TEXT_PATTERNS.label)) {
      const { res, errors } = await send(op, f.body('one\ttwo'));
      if (names(errors, f.field).length === 0) wrong.push(`${op.key} ${f.field} took a tab: ${answer(res)}`);
    }
    for (const { op, f } of byPattern(TEXT_PATTERNS.freeText)) {
      const kept = await send(op, f.body('Line one\r\n\tLine two\n'));
      if (names(kept.errors, f.field).length > 0) wrong.push(`${op.key} ${f.field} refused line breaks: ${answer(kept.res)}`);
      const { res, errors } = await send(op, f.body('escape\u001b[31m'));
      if (names(errors, f.field).length === 0) wrong.push(`${op.key} ${f.field} took ESC: ${answer(res)}`);
    }
    expect(wrong).toEqual([]);
    expect(byPattern(TEXT_PATTERNS.freeText).length).toBeGreaterThan(5);
    expect(byPattern(TEXT_PATTERNS.label).length).toBeGreaterThan(5);
  });

  it('stores names, labels and line-broken free text exactly as sent', async () => {
    const admin = api.as({ tenant: newTenantId('hyg'), role: 'admin' });
    const body = { source_code: 'FAIR', source_name: 'Foire  de Paris ✓', source_type: 'event', description: 'Hall 1\r\n\tStand 42', icon: 'mdi-star' };
    const created = await admin.post('/lead-sources', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ source_name: body.source_name, description: body.description, icon: body.icon });
  });

  it('refuses control characters in the search and audit filters, naming the parameter', async () => {
    const admin = api.as({ tenant: newTenantId('hyg'), role: 'admin' });
    const cases: [string, Record<string, string>, string][] = [
      ['/lead-sources', { search: 'a\u0000b' }, 'search'],
      ['/lead-sources', { search: 'tab\there' }, 'search'],
      ['/audit-log', { entity_type: 'lead_source\u0000' }, 'entity_type'],
      ['/audit-log', { entity_key: 'WEBSITE\n' }, 'entity_key'],
      ['/audit-log', { entity_key: 'WEBSITE ' }, 'entity_key'],
      ['/audit-log', { entity_type: ' lead_source' }, 'entity_type'],
    ];
    for (const [path, query, field] of cases) {
      const res = await admin.get(path, { query });
      expect({ query, status: res.statusCode, code: res.json().code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
