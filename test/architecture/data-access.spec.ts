import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, sourceFiles } from './source-files';

/**
 * DESIGN.md "Tenancy": no code outside src/tenancy and src/database touches raw TypeORM data access.
 * Everything else goes through TenantScopedRepository, which scopes every query by the tenant in context.
 */
const ALLOWED = /^src\/(tenancy|database)\//;
const RAW_TYPES = ['Repository', 'DataSource', 'EntityManager', 'QueryRunner'];
/** Named imports from 'typeorm' or a 'typeorm/…' deep path, including `import type` and multi-line lists. */
const TYPEORM_IMPORT = /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"]typeorm(?:\/[^'"]*)?['"]/g;
/** `import * as orm from 'typeorm'` would reach every raw type through the namespace. */
const TYPEORM_NAMESPACE = /import\s+\*\s+as\s+\w+\s+from\s+['"]typeorm['"]/;
/** Nest's injection shortcuts for raw TypeORM objects. */
const INJECT_RAW = /@Inject(Repository|DataSource|EntityManager)\b/;
/** The transaction host hands out the raw EntityManager (`txHost.tx`). */
const TX_HOST = /\bTransactionHost\b/;
/**
 * Raw access that needs no import: a query builder or an entity carries its DataSource (`.connection`)
 * and EntityManager (`.manager`), from which any table of any tenant is one call away.
 */
const RAW_MEMBERS: [RegExp, string][] = [
  [/(?:\.|\[\s*['"`])connection\b/, 'reaches .connection'],
  [/(?:\.|\[\s*['"`])manager\b/, 'reaches .manager'],
  [/\bgetRepository\s*\(/, 'calls getRepository('],
  [/\bcreateQueryRunner\b/, 'uses createQueryRunner'],
  // The bases' scoping core (TenantTablesBase.tables) is theirs: feature repositories use the bases' named methods.
  [/\bthis\.tables\b/, 'reaches the scoping core (this.tables)'],
];
/** Comment lines (JSDoc, `//`) may name what they like. */
const COMMENT_LINE = /^\s*(?:\/\/|\/\*|\*)/;

export function rawDataAccess(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(TYPEORM_IMPORT)) {
    for (const spec of match[1].split(',')) {
      const imported = spec
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]
        .trim();
      if (RAW_TYPES.includes(imported)) found.push(`imports ${imported} from typeorm`);
    }
  }
  if (TYPEORM_NAMESPACE.test(text)) found.push('imports the typeorm namespace');
  const inject = INJECT_RAW.exec(text);
  if (inject) found.push(`uses @Inject${inject[1]}`);
  if (TX_HOST.test(text)) found.push('uses TransactionHost');
  const code = text
    .split('\n')
    .filter((line) => !COMMENT_LINE.test(line))
    .join('\n');
  for (const [pattern, what] of RAW_MEMBERS) if (pattern.test(code)) found.push(what);
  return found;
}

describe('data access', () => {
  it('recognises every form of raw access it forbids', () => {
    expect(rawDataAccess(`import { Repository } from 'typeorm';`)).toEqual(['imports Repository from typeorm']);
    expect(rawDataAccess(`import type {\n  Column,\n  DataSource as DS,\n} from "typeorm";`)).toEqual(['imports DataSource from typeorm']);
    expect(rawDataAccess(`import { type EntityManager } from 'typeorm/entity-manager/EntityManager';`)).toEqual(['imports EntityManager from typeorm']);
    expect(rawDataAccess(`import { QueryRunner, Column } from 'typeorm';`)).toEqual(['imports QueryRunner from typeorm']);
    expect(rawDataAccess(`import * as orm from 'typeorm';`)).toEqual(['imports the typeorm namespace']);
    expect(rawDataAccess(`constructor(@InjectRepository(Lead) private r: R) {}`)).toEqual(['uses @InjectRepository']);
    expect(rawDataAccess(`constructor(@InjectDataSource() private d: D) {}`)).toEqual(['uses @InjectDataSource']);
    expect(rawDataAccess(`constructor(private readonly txHost: TransactionHost<A>) {}`)).toEqual(['uses TransactionHost']);
    expect(rawDataAccess(`const d = dialectOf(qb.connection);`)).toEqual(['reaches .connection']);
    expect(rawDataAccess(`return this.select()?.connection.query('DELETE FROM t');`)).toEqual(['reaches .connection']);
    expect(rawDataAccess(`const ds = qb['connection'];`)).toEqual(['reaches .connection']);
    expect(rawDataAccess(`await qb.connection\n  .manager.query(sql);`)).toEqual(['reaches .connection', 'reaches .manager']);
    expect(rawDataAccess(`await entity.manager.save(x);`)).toEqual(['reaches .manager']);
    expect(rawDataAccess(`const r = qb.connection.getRepository(Lead);`)).toEqual(['reaches .connection', 'calls getRepository(']);
    expect(rawDataAccess(`const r = ds.getRepository (Lead);`)).toEqual(['calls getRepository(']);
    expect(rawDataAccess(`const runner = ds.createQueryRunner();`)).toEqual(['uses createQueryRunner']);
    expect(rawDataAccess(`return this.tables.select(LeadEntity, 'l');`)).toEqual(['reaches the scoping core (this.tables)']);
    // What feature code legitimately uses.
    expect(rawDataAccess(`import { Column, Entity, Index, SelectQueryBuilder } from 'typeorm';`)).toEqual([]);
    expect(rawDataAccess(`if (this.dialect === 'mysql') qb.setLock('pessimistic_write');`)).toEqual([]);
    expect(rawDataAccess(`const connectionCount = 1; const managerName = 'x'; this.managers.get(id);`)).toEqual([]);
    expect(rawDataAccess(`/**\n * Never reaches the raw .connection.\n */\n// nor .manager\nconst a = 1;`)).toEqual([]);
  });

  it('only src/tenancy and src/database touch raw TypeORM', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(30);
    const offenders = files
      .filter((file) => !ALLOWED.test(file))
      .flatMap((file) => rawDataAccess(readFileSync(join(ROOT, file), 'utf8')).map((what) => `${file}: ${what}`));
    expect(offenders).toEqual([]);
  });
});
