import { API_PREFIX } from '../../../src/app.setup';
import { declaredRoutes, toOpenApiPath } from '../../support/routes';
import { SecureApi } from './secure-api';

/**
 * The operations of the live OpenAPI document (GET /docs-json) under the API base path: what every
 * generated matrix iterates over, so that a route added later is in them without anyone listing it.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const WRITE_METHODS: Method[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  nullable?: boolean;
  writeOnly?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
  default?: unknown;
}

export interface QueryParam {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `POST /lead-sources/{source_code}/activate`: the method and the path relative to the API base. */
  key: string;
  method: Method;
  path: string;
  /** Path parameter names, in order. */
  params: string[];
  query: QueryParam[];
  /** The request body's component schema name and schema, if the operation takes a body. */
  body?: { name: string; schema: Schema };
}

export interface ApiDoc {
  ops: Operation[];
  /** A component schema by name, or the schema a $ref points at. */
  schema(nameOrRef: string): Schema;
  /** Follows $ref and single-element allOf. */
  resolve(s: Schema): Schema;
}

export const BASE = `/${API_PREFIX}`;

export async function readApiDoc(api: SecureApi): Promise<ApiDoc> {
  const res = await api.raw().get('/docs-json');
  if (res.statusCode !== 200) throw new Error(`GET /docs-json answered ${res.statusCode}`);
  const doc = res.json();
  const schemas: Record<string, Schema> = doc.components?.schemas ?? {};
  const schema = (nameOrRef: string): Schema => {
    const name = nameOrRef.replace('#/components/schemas/', '');
    const found = schemas[name];
    if (!found) throw new Error(`No component schema ${name}`);
    return found;
  };
  const resolve = (s: Schema): Schema => {
    if (s.$ref) return resolve(schema(s.$ref));
    if (s.allOf && s.allOf.length === 1) return resolve({ ...s.allOf[0], nullable: s.nullable });
    return s;
  };

  const ops: Operation[] = [];
  for (const [fullPath, item] of Object.entries<Record<string, any>>(doc.paths)) {
    if (!fullPath.startsWith(`${BASE}/`)) continue;
    const path = fullPath.slice(BASE.length);
    for (const [verb, op] of Object.entries<any>(item)) {
      const method = verb.toUpperCase() as Method;
      if (!['GET', ...WRITE_METHODS].includes(method)) continue;
      const parameters: any[] = op.parameters ?? [];
      const ref: string | undefined = op.requestBody?.content?.['application/json']?.schema?.$ref;
      ops.push({
        key: `${method} ${path}`,
        method,
        path,
        params: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, required: Boolean(p.required), schema: p.schema ?? {} })),
        body: ref ? { name: ref.replace('#/components/schemas/', ''), schema: schema(ref) } : undefined,
      });
    }
  }
  ops.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  if (ops.length < 20) throw new Error(`Only ${ops.length} operations under ${BASE} in the document`);

  // A route left out of the document (e.g. @ApiExcludeEndpoint) would escape every matrix below.
  const documented = new Set(ops.map((o) => o.key));
  const undocumented = declaredRoutes(api.app)
    .filter((r) => r.path.startsWith(`${BASE}/`))
    .map((r) => `${r.method} ${toOpenApiPath(r.path).slice(BASE.length)}`)
    .filter((key) => !documented.has(key));
  if (undocumented.length > 0) throw new Error(`Routes missing from the OpenAPI document: ${undocumented.join(', ')}`);

  return { ops, schema, resolve };
}

/** `/lead-sources/{source_code}` with `{ source_code: 'WEBSITE' }` → `/lead-sources/WEBSITE`. */
export function fillPath(path: string, params: Record<string, string | number>, encode = encodeURIComponent): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    if (params[name] === undefined) throw new Error(`No value for {${name}} in ${path}`);
    return encode(String(params[name]));
  });
}
