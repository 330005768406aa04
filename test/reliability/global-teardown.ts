import { readAll } from './lib/figures';
import { mariadb } from './lib/mariadb';

/** Stops the MariaDB and prints every scenario's figures. */
export default async function globalTeardown(): Promise<void> {
  await mariadb('stop');
  const all = readAll();
  process.stdout.write('\nreliability figures:\n');
  for (const [scenario, figures] of Object.entries(all)) {
    process.stdout.write(`  ${scenario}\n`);
    for (const [k, v] of Object.entries(figures)) process.stdout.write(`    ${k}: ${v}\n`);
  }
}
