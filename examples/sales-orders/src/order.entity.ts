import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The host's own table: an order of one tenant, linked to the lead the customization module keeps for it. */
@Entity('orders')
export class OrderEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 100 })
  customer!: string;

  @Column({ type: 'int' })
  amountCents!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: 'open' | 'won';

  @Column({ name: 'lead_id', type: 'int' })
  leadId!: number;
}
