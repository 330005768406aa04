import type { DomainEventBase } from '../events/domain-events';

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The JSON body of an event's deliveries: `{"type", "timestamp", "data"}`, `data` holding the event's
 * fields in snake_case as the REST API names things (`leadId` → `lead_id`, `tenantId` → `tenant_id`).
 */
export function webhookBody(type: string, event: DomainEventBase & Record<string, unknown>): string {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) data[snake(key)] = value;
  return JSON.stringify({ type, timestamp: event.occurredAt, data });
}
