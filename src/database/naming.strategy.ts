import { ColumnOptions, DefaultNamingStrategy, getMetadataArgsStorage, NamingStrategyInterface } from 'typeorm';

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * TS properties are camelCase, columns snake_case: `tenantId` ↔ `tenant_id`. One rule for every entity,
 * so no @Column needs a `name`. Hand-written SQL names columns (snake), query builders name properties.
 */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    return snake([...prefixes, customName ?? propertyName].join('_'));
  }

  override relationName(propertyName: string): string {
    return snake(propertyName);
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snake(`${relationName}_${referencedColumnName}`);
  }
}

/** Columns that are not stored (TypeORM's virtual properties) keep no name. */
const STORED_MODES = new Set([
  'regular',
  'virtual',
  'createDate',
  'updateDate',
  'deleteDate',
  'version',
  'treeChildrenCount',
  'treeLevel',
  'objectId',
  'array',
]);

export const ColumnNames = {
  /**
   * Writes each column's snake_case name into the entities' decorator metadata, as if every @Column
   * said `name: 'tenant_id'`, so that the columns map to our schema under any naming strategy that
   * keeps explicit names (TypeORM's default one does). Our own strategy gives the same names either
   * way. Inherited columns (TenantOwnedEntity) are stamped too. Returns the list it was given.
   */
  // `Function` is the type TypeORM's metadata storage gives a column's target (a class).
  /* eslint-disable @typescript-eslint/no-unsafe-function-type */
  pin<T extends readonly Function[]>(entities: T): T {
    const targets = new Set<Function>();
    for (const entity of entities) {
      for (let t: Function | null = entity; t && t !== Function.prototype; t = Object.getPrototypeOf(t) as Function | null) targets.add(t);
    }
    /* eslint-enable @typescript-eslint/no-unsafe-function-type */
    for (const column of getMetadataArgsStorage().columns) {
      if (typeof column.target !== 'function' || !targets.has(column.target) || !STORED_MODES.has(column.mode)) continue;
      if (column.options.name !== undefined) continue;
      // A copy: several columns may share one options object (`@Column(coordinate)`).
      (column as { options: ColumnOptions }).options = { ...column.options, name: snake(column.propertyName) };
    }
    return entities;
  },
};
