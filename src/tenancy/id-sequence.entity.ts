import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last id given in one table of one tenant (IdSequences). One row per (tenant, table), created
 * when the tenant registers; the migration that introduced it started each at the table's largest id.
 */
@Entity('id_sequences')
export class IdSequenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tenantId: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  tableName: string;

  @Column({ type: 'bigint', default: 0 })
  lastId: string | number;
}
