import { API_PREFIX } from '../../../src/app.setup';
import { Schema } from '../../security/support/openapi';
import { Answer } from './engines';

/**
 * The served OpenAPI document, as a differential run uses it: the operations it must cover (every
 * write route gets operations, every GET is read after each phase) and the request body schemas the
 * invalid variants are made from (which fields are required, their types and bounds).
 */

// The schema shape the security matrices read too: one definition for both.
export type { Schema };

export interface ApiDocument {
  /** `GET /lead-sources/{source_code}`: every operation, paths relative to the API base (service routes as served). */
  gets: string[];
  writes: string[];
  /** The resolved request body schema of a write, if it takes one. */
  bodyOf(route: string): Schema | undefined;
  resolve(s: Schema): Schema;
}

const BASE = `/${API_PREFIX}`;

export function readDocument(answer: Answer): ApiDocument {
  if (answer.status !== 200) throw new Error(`GET /docs-json answered ${answer.status}`);
  const doc = answer.body as { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };
  const schemas = doc.components?.schemas ?? {};
  const resolve = (s: Schema): Schema => {
    if (s.$ref) return resolve(schemas[s.$ref.replace('#/components/schemas/', '')]);
    if (s.allOf?.length === 1) return resolve({ ...s.allOf[0], nullable: s.nullable });
    return s;
  };
  const gets: string[] = [];
  const writes: string[] = [];
  const bodies = new Map<string, Schema>();
  for (const [fullPath, item] of Object.entries(doc.paths)) {
    const path = fullPath.startsWith(`${BASE}/`) ? fullPath.slice(BASE.length) : fullPath;
    for (const [verb, op] of Object.entries<any>(item)) {
      const method = verb.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      const key = `${method} ${path}`;
      (method === 'GET' ? gets : writes).push(key);
      const ref = op.requestBody?.content?.['application/json']?.schema;
      if (ref) bodies.set(key, resolve(ref));
    }
  }
  return { gets: gets.sort(), writes: writes.sort(), bodyOf: (route) => bodies.get(route), resolve };
}
