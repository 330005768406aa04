import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../database/columns';

/** A tenant the service has seen; its row is written in the same transaction as its defaults. */
@Entity('tenants')
export class TenantEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column(timestampColumn())
  createdAt: Date;
}
