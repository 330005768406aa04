/**
 * Every route registered on a Fastify instance (method and URL pattern, as Fastify saw it), recorded
 * by createFastifyAdapter (app.setup.ts) as routes are added: for the tests that compare it with the
 * OpenAPI document, and for the methods a path has (405 with Allow, ProblemDetailsFilter).
 */
export interface RouteEntry {
  method: string;
  url: string;
}

interface Table {
  routes: RouteEntry[];
  /** The patterns compiled, for the table as long as it had `size` routes (routes are added at start only). */
  compiled?: { size: number; patterns: { method: string; pattern: RegExp }[] };
}

const TABLES = new WeakMap<object, Table>();

/** Starts recording the routes of `fastify`; returns the list the caller adds each route to. */
export function startRouteTable(fastify: object): RouteEntry[] {
  const table: Table = { routes: [] };
  TABLES.set(fastify, table);
  return table.routes;
}

export const routeTable = (fastify: object): readonly RouteEntry[] => TABLES.get(fastify)?.routes ?? [];

/** `/leads/:id` → a pattern for one concrete path; `*` takes the rest of the path. */
function compile(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const rank = (method: string) => (ORDER.includes(method) ? ORDER.indexOf(method) : ORDER.length);

/**
 * The methods some route answers at this concrete path (no query), in a fixed order: GET, HEAD, POST,
 * PUT, PATCH, DELETE, then any other. The catch-all `*` route of CORS preflights (OPTIONS on every
 * path) says nothing about a path, so it is left out: a path no route has answers [].
 */
export function methodsAt(fastify: object, path: string): string[] {
  const table = TABLES.get(fastify);
  if (!table) return [];
  if (table.compiled?.size !== table.routes.length) {
    table.compiled = {
      size: table.routes.length,
      patterns: table.routes.filter((r) => r.url !== '*').map((r) => ({ method: r.method, pattern: compile(r.url) })),
    };
  }
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch {
    // An undecodable path is matched as it came (escapeUndecodablePath has escaped its % signs).
  }
  const methods = new Set(table.compiled.patterns.filter((p) => p.pattern.test(path) || p.pattern.test(decoded)).map((p) => p.method));
  return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
