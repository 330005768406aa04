import { Column } from 'typeorm';
import { nameKeyColumn } from '../database/columns';
import { TenantOwnedEntity } from '../tenancy/tenant-owned.entity';

/**
 * Columns every configuration resource has besides its code and name, which carry the resource's own
 * names (`source_code`, `type_name`…) and so stay in each entity. TypeORM takes an abstract class's
 * columns into every entity that extends it; the tables do not change.
 */
export abstract class ConfigResourceEntity extends TenantOwnedEntity {
  /** The name as search and list order compare it (textKey); kept by the repository on every write. */
  @Column(nameKeyColumn())
  nameKey: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'int', default: 0 })
  displayOrder: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;
}

/** A configuration resource shown with an icon (channels, subsources…). */
export abstract class IconConfigResourceEntity extends ConfigResourceEntity {
  @Column({ type: 'varchar', length: 100, nullable: true })
  icon: string | null;
}

/** A configuration resource shown with an icon and a colour (sources, milestone and campaign types). */
export abstract class IconColorConfigResourceEntity extends IconConfigResourceEntity {
  @Column({ type: 'varchar', length: 7, nullable: true })
  colorHex: string | null;
}
