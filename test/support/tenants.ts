import { randomBytes } from 'node:crypto';

/** A fresh tenant per test (no truncation, no ordering between tests). */
export const newTenantId = (prefix = 't') => `${prefix}-${randomBytes(6).toString('hex')}`;
