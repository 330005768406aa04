const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/**
 * Request DTO (snake_case, already whitelisted by the ValidationPipe) to entity properties
 * (camelCase). Only fields present in the body are copied, so a PATCH leaves the rest untouched.
 */
export function dtoToEntityFields<E>(dto: object): Partial<E> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dto)) {
    if (value !== undefined) out[camel(key)] = value;
  }
  return out as Partial<E>;
}
