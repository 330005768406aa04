import { BadRequestException, Body, Controller, Get, Headers, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { NewOrder, OrdersService } from './orders.service';

/**
 * The host's own routes. Its callers are trusted services of the ERP that name the tenant in
 * X-Tenant-ID (its own authentication would go here); no guard of the customization module applies.
 */
@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  private tenant(tenantId: string | undefined): string {
    if (!tenantId) throw new BadRequestException('X-Tenant-ID is required');
    return tenantId;
  }

  @Post('orders')
  open(@Headers('x-tenant-id') tenantId: string | undefined, @Body() body: NewOrder) {
    return this.orders.open(this.tenant(tenantId), body);
  }

  @Post('orders/:id/won')
  won(@Headers('x-tenant-id') tenantId: string | undefined, @Param('id', ParseIntPipe) id: number) {
    return this.orders.won(this.tenant(tenantId), id);
  }

  @Get('sources/:code/performance')
  performance(@Headers('x-tenant-id') tenantId: string | undefined, @Param('code') code: string, @Query('days') days?: string) {
    return this.orders.sourcePerformance(this.tenant(tenantId), code, days === undefined ? 30 : Number(days));
  }
}
