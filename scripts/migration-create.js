#!/usr/bin/env node
// npm run migration:create -- add-something  →  src/database/migrations/<timestamp>-add-something.ts
const { writeFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const name = process.argv[2];
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: npm run migration:create -- <kebab-case-name>   (e.g. add-lead-notes)');
  process.exit(2);
}
const timestamp = Date.now();
const className = name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c) => c.toUpperCase()) + timestamp;
const file = join(__dirname, '..', 'src', 'database', 'migrations', `${timestamp}-${name}.ts`);
if (existsSync(file)) throw new Error(`${file} exists`);
writeFileSync(
  file,
  `import { MigrationInterface, QueryRunner } from 'typeorm';

/** Write it with the QueryRunner API and the helpers in ../migration-helpers so it runs on SQLite and MySQL. */
export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(qr: QueryRunner): Promise<void> {
    void qr;
  }

  async down(qr: QueryRunner): Promise<void> {
    void qr;
  }
}
`,
);
console.log(`created ${file}`);
console.log(`add ${className} at the end of MIGRATIONS in src/database/migrations.ts (hosts run our migrations from that list)`);
