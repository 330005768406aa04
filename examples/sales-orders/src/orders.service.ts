import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LeadMilestonesService, LeadsService, SourceAnalyticsService, SourcePerformanceResponseDto, TenantScope } from 'sales-customization-service';
import { Repository } from 'typeorm';
import { OrderEntity } from './order.entity';

export interface NewOrder {
  customer: string;
  /** The lead source the customer came from (a code of the tenant's lead sources, e.g. WEBSITE). */
  source_code: string;
  amount: number;
}

/** Who the customization module records as acting for this application. */
const ACTOR = 'sales-orders';

/**
 * Orders of the host application. Each order has a lead in the customization module; winning the
 * order converts the lead and records its CONVERTED milestone. Everything the module does runs in
 * TenantScope.run for the order's tenant.
 */
@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>,
    private readonly scope: TenantScope,
    private readonly leads: LeadsService,
    private readonly milestones: LeadMilestonesService,
    private readonly analytics: SourceAnalyticsService,
  ) {}

  async open(tenantId: string, order: NewOrder): Promise<OrderEntity> {
    const lead = await this.scope.run(tenantId, () => this.leads.create({ source_code: order.source_code, expected_value: order.amount }), { actor: ACTOR });
    return this.orders.save(
      this.orders.create({ tenantId, customer: order.customer, amountCents: Math.round(order.amount * 100), status: 'open', leadId: lead.response.id }),
    );
  }

  async won(tenantId: string, orderId: number): Promise<{ order: OrderEntity; milestone_id: number }> {
    const order = await this.orders.findOneBy({ id: orderId, tenantId });
    if (!order) throw new NotFoundException(`order ${orderId} not found`);
    const today = new Date().toISOString().slice(0, 10);
    const milestone = await this.scope.run(
      tenantId,
      async () => {
        await this.leads.update(order.leadId, { status: 'converted', converted_value: order.amountCents / 100 });
        return this.milestones.create(order.leadId, { milestone_type_code: 'CONVERTED', achieved_date: today, status: 'completed' });
      },
      { actor: ACTOR },
    );
    order.status = 'won';
    return { order: await this.orders.save(order), milestone_id: milestone.response.id };
  }

  sourcePerformance(tenantId: string, sourceCode: string, days: number): Promise<SourcePerformanceResponseDto> {
    return this.scope.run(tenantId, () => this.analytics.source(sourceCode, { days }), { actor: ACTOR });
  }
}
