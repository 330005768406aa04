import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomizationModule } from 'sales-customization-service';
import { databaseOptions } from './database';
import { OrdersModule } from './orders.module';

/**
 * The host application: its database, Nest's event emitter (the customization module emits its
 * domain events there), the customization module with its REST routes, and its own orders.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({ useFactory: () => databaseOptions() }),
    EventEmitterModule.forRoot({ wildcard: true }),
    CustomizationModule.forRootAsync({
      http: true,
      useFactory: () => ({
        encryptionKey: required('SALES_CUSTOMIZATION_KEY'),
        http: { jwt: { secret: required('SALES_JWT_SECRET') } },
      }),
    }),
    OrdersModule,
  ],
})
export class AppModule {}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
