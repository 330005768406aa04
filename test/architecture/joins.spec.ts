import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, sourceFiles } from './source-files';

/**
 * Ids are numbered per tenant: a row's key is `(tenant_id, id)`, so a join on an id alone reaches
 * every tenant's row with that id. Joins are therefore written in src/tenancy only, by helpers that
 * always add the joined table's tenant predicate (`joinScoped`, `whereExists`); everything else asks
 * them. Migrations, which work on every tenant at once, are the exception.
 */
const ALLOWED = /^src\/(tenancy\/|database\/migrations\/)/;

/** `JOIN` in SQL text (upper case, as the code base writes SQL), or a join keyword pair in any case. */
const SQL_JOIN = [/\bJOIN\b/, /\b(?:inner|left|right|full|cross|natural|outer|straight)\s+join\b/i];
/** The query builder's joins: innerJoin, leftJoin and their …AndSelect / …AndMapOne / …AndMapMany forms. */
const BUILDER_JOIN = /\.\s*(?:inner|left)Join\w*\s*\(/;
/** Find options that join (`relations`, `join`). */
const FIND_JOIN = /\b(?:relations|join)\s*:\s*[[{]/;
/** Comment lines (JSDoc, `//`) may speak of joins. */
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*)/;

export function joinsIn(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (COMMENT_LINE.test(line)) return;
    const code = line.replace(/\.join\s*\(/g, '.concatenate('); // Array.prototype.join is no SQL
    if (BUILDER_JOIN.test(code)) found.push(`line ${i + 1}: builder join`);
    else if (FIND_JOIN.test(code)) found.push(`line ${i + 1}: find-options join`);
    else if (SQL_JOIN.some((pattern) => pattern.test(code))) found.push(`line ${i + 1}: SQL join`);
  });
  return found;
}

describe('joins', () => {
  it('recognises every form of join it forbids', () => {
    expect(joinsIn('const sql = `SELECT 1 FROM a JOIN b ON b.id = a.b_id`;')).toEqual(['line 1: SQL join']);
    expect(joinsIn("q('SELECT 1 FROM a\\n  LEFT JOIN b ON b.id = a.b_id')")).toEqual(['line 1: SQL join']);
    expect(joinsIn("const sql = 'select 1 from a inner join b on b.id = a.b_id';")).toEqual(['line 1: SQL join']);
    expect(joinsIn("const sql = 'select 1 from a left  join b using (id)';")).toEqual(['line 1: SQL join']);
    expect(joinsIn("qb.innerJoin(Lead, 'l', 'l.id = m.leadId')")).toEqual(['line 1: builder join']);
    expect(joinsIn("qb\n  .leftJoin(Lead, 'l', 'l.id = m.leadId')")).toEqual(['line 2: builder join']);
    expect(joinsIn("qb.leftJoinAndSelect('m.lead', 'l')")).toEqual(['line 1: builder join']);
    expect(joinsIn("qb.innerJoinAndMapOne('m.lead', Lead, 'l', 'l.id = m.leadId')")).toEqual(['line 1: builder join']);
    expect(joinsIn("repo.find({ relations: ['lead'] })")).toEqual(['line 1: find-options join']);
    expect(joinsIn("repo.find({ join: { alias: 'm' } })")).toEqual(['line 1: find-options join']);
    // What feature code legitimately writes.
    expect(joinsIn("const list = codes.join(', ');")).toEqual([]);
    expect(joinsIn("const path = join(ROOT, 'src');")).toEqual([]);
    expect(joinsIn("this.joinScoped(qb, LeadEntity, 'l', 'l.id = m.leadId', { inner: true })")).toEqual([]);
    expect(joinsIn('/**\n * A LEFT JOIN would multiply spend.\n */\n// nor an inner join\nconst a = 1;')).toEqual([]);
    expect(joinsIn("const sets = columns.map((c) => `${c} = ?`).join(' , ');")).toEqual([]);
  });

  it('only src/tenancy (and the migrations) join tables', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(30);
    const offenders = files
      .filter((file) => !ALLOWED.test(file))
      .flatMap((file) => joinsIn(readFileSync(join(ROOT, file), 'utf8')).map((what) => `${file}: ${what}`));
    expect(offenders).toEqual([]);
  });
});
