import { Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

/**
 * A Reflector that answers `getAllAndOverride(key, [handler, class])` from memory after the first
 * time: route decorators are applied when classes are defined and never change, while a lookup walks
 * the metadata of the handler and of the class's prototype chain. For guards that read several keys
 * on every request (the auth guard reads two; the throttler six per throttler).
 */
export class MemoizedReflector extends Reflector {
  private readonly memo = new Map<unknown, WeakMap<object, WeakMap<object, { value: unknown }>>>();

  // The signature is Reflector's own (its `any` and `Function` included): an override must accept what it accepts.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-function-type
  override getAllAndOverride<T = any>(metadataKey: any, targets: (Type<any> | Function)[]): T {
    const [handler, cls] = targets;
    if (targets.length !== 2 || typeof metadataKey !== 'string' || !handler || !cls) return super.getAllAndOverride(metadataKey, targets);
    let byHandler = this.memo.get(metadataKey);
    if (!byHandler) this.memo.set(metadataKey, (byHandler = new WeakMap()));
    let byClass = byHandler.get(handler);
    if (!byClass) byHandler.set(handler, (byClass = new WeakMap()));
    let found = byClass.get(cls);
    if (!found) byClass.set(cls, (found = { value: super.getAllAndOverride(metadataKey, targets) }));
    return found.value as T;
  }
}
