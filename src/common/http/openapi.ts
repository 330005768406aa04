import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto, problemExamples, problemResponse } from '../errors/problem.dto';
import { CODE_PATTERN } from '../validation/decorators';

/**
 * The OpenAPI document (GET /docs-json) and the Swagger UI (GET /docs). Clients are generated from the
 * document, so it must say exactly what the service does. Nest's scanner builds it from the decorators;
 * finishDocument() then adds what would otherwise be repeated on every route: roles, response headers,
 * error examples, `additionalProperties: false` on request bodies, path-code patterns.
 */

/**
 * Tags in business order: configuration first, then the facts, then their analytics, then the service.
 * `noun`/`key` name what a 404 of the tag's routes says is missing; `duplicate` and `conflict` are the
 * 409 details its routes send (DUPLICATE_CODE, CONFLICT).
 */
interface ApiTag {
  name: string;
  description: string;
  noun: string;
  key: string;
  duplicate?: string;
  conflict?: string;
}
const inUse = (what: string, code: string) => `${what} code ${code} is already in use`;
export const API_TAGS: ApiTag[] = [
  {
    name: 'Lead sources',
    description: 'Where leads come from: the tenant’s sources (WEBSITE, EMAIL, SOCIAL, REFERRAL and UNMAPPED by default).',
    noun: 'lead source',
    key: 'TRADE_FAIR',
    duplicate: inUse('lead source', 'TRADE_FAIR'),
  },
  {
    name: 'Lead subsources',
    description: 'Finer origins under a source (FACEBOOK, LINKEDIN under SOCIAL by default), each with a cost per lead and its history by day.',
    noun: 'lead subsource',
    key: 'INSTAGRAM',
    duplicate: inUse('lead subsource', 'INSTAGRAM'),
  },
  {
    name: 'Lead channels',
    description: 'How leads reach the tenant (DIRECT, ORGANIC, PAID, REFERRAL by default).',
    noun: 'lead channel',
    key: 'EVENTS',
    duplicate: inUse('lead channel', 'EVENTS'),
  },
  {
    name: 'Attribution rules',
    description: 'How a touch’s UTM parameters map to a source, subsource, channel and campaign; unmatched touches go to UNMAPPED (admin writes).',
    noun: 'attribution rule',
    key: '7',
  },
  {
    name: 'Leads',
    description: 'The lead facts that the lead-source analytics read: status, values, stage timestamps.',
    noun: 'lead',
    key: '42',
    duplicate: inUse('lead', 'CRM-1042'),
  },
  {
    name: 'Milestone types',
    description: 'The milestones of the sales pipeline, with SLAs (LEAD_GENERATED … CONVERTED by default).',
    noun: 'milestone type',
    key: 'DEMO',
    duplicate: inUse('milestone type', 'DEMO'),
  },
  {
    name: 'Milestone templates',
    description: 'Ordered sequences of milestone types; the default standard template drives timelines.',
    noun: 'milestone template',
    key: '7',
    conflict: "the template's sequence names milestone types that are not live: DEMO; create or restore them first",
  },
  {
    name: 'Lead milestones',
    description: 'The milestones a lead reached, their chain of durations and a lead’s timeline.',
    noun: 'lead',
    key: '42',
    conflict: 'milestone type CONVERTED is mandatory and cannot be skipped',
  },
  {
    name: 'Campaign types',
    description: 'Kinds of campaign with budget guidelines (EMAIL_BLAST, SOCIAL_ADS, SEO_CAMPAIGN by default).',
    noun: 'campaign type',
    key: 'WEBINAR',
    duplicate: inUse('campaign type', 'WEBINAR'),
  },
  {
    name: 'Campaign channels',
    description: 'Where campaigns run, with integration keys stored encrypted (EMAIL, FACEBOOK, GOOGLE_ADS by default).',
    noun: 'campaign channel',
    key: 'LINKEDIN_ADS',
    duplicate: inUse('campaign channel', 'LINKEDIN_ADS'),
  },
  {
    name: 'Campaign statuses',
    description: 'The campaign workflow: DRAFT (initial) → ACTIVE ⇄ PAUSED → COMPLETED (final) by default.',
    noun: 'campaign status',
    key: 'ON_HOLD',
    duplicate: inUse('campaign status', 'ON_HOLD'),
    conflict: 'DRAFT is the initial status; a tenant always has one active initial status: make another status initial first',
  },
  {
    name: 'Campaign budget types',
    description: 'How a campaign’s budget is allocated (TOTAL, PER_CHANNEL, VARIABLE by default).',
    noun: 'campaign budget type',
    key: 'MONTHLY',
    duplicate: inUse('campaign budget type', 'MONTHLY'),
  },
  {
    name: 'Campaign templates',
    description: 'Reusable campaign defaults; instantiate one to create a campaign.',
    noun: 'campaign template',
    key: '7',
    duplicate: inUse('campaign', 'SPRING_2026'),
    conflict: 'campaign template 7 is inactive',
  },
  {
    name: 'Campaigns',
    description: 'Campaigns, their channels and budgets, and their status workflow.',
    noun: 'campaign',
    key: 'SUMMER_2026',
    duplicate: inUse('campaign', 'SPRING_2026'),
    conflict: 'DRAFT → COMPLETED is not allowed; DRAFT allows ACTIVE',
  },
  {
    name: 'Campaign metrics',
    description: 'Daily figures per campaign and channel: impressions, clicks, leads, conversions, spend, revenue.',
    noun: 'campaign',
    key: 'SUMMER_2026',
    conflict: 'Campaign SPRING_2026 is COMPLETED, which does not allow editing: metrics cannot be written',
  },
  {
    name: 'Lead-source analytics',
    description: 'Which source converts and what a lead costs: funnels, cost, ROI and trends by lead creation day.',
    noun: 'lead source',
    key: 'TRADE_FAIR',
  },
  {
    name: 'Milestone analytics',
    description: 'Where leads stall: completion per type, time trends and bottlenecks between milestones.',
    noun: 'milestone type',
    key: 'DEMO',
  },
  {
    name: 'Campaign analytics',
    description: 'Which campaign type and channel pays back: spend, CPL, CTR, ROI and trends.',
    noun: 'campaign type',
    key: 'WEBINAR',
  },
  {
    name: 'Webhooks',
    description: 'Signed POSTs of the tenant’s domain events to its own services (Standard Webhooks), and their delivery logs (admin).',
    noun: 'webhook subscription',
    key: '1',
  },
  {
    name: 'Settings',
    description: 'The tenant’s time zone (the days of every analytics answer) and the first day of its weeks.',
    noun: 'settings',
    key: 'tenant',
  },
  { name: 'Audit log', description: 'Every write of the tenant, with the changed fields (admin).', noun: 'audit entry', key: '1' },
  { name: 'Service', description: 'Liveness, readiness and Prometheus metrics, outside the API base path; no token needed.', noun: 'route', key: '/x' },
];

const AUTH_DESCRIPTION = [
  'A JWT from the ERP identity service, sent as `Authorization: Bearer <token>`; its claims `sub`, `tenant_id`,',
  '`role` (admin, manager, agent, viewer) and `exp` say who calls, for which tenant and with which role.',
  'In development, `npm run token -- --tenant acme --role admin` prints one signed with the local secret.',
  'Tokens are verified as RFC8725 recommends: the algorithm is fixed by the configured key (HS256, or RS256/ES256),',
  '`exp` and `sub` are required, and the issuer and audience are checked when configured.',
  'The optional `X-Tenant-ID` header, when sent, must equal the token’s `tenant_id`.',
].join(' ');

/** Response headers, defined once and referenced by each response that carries them. */
const HEADERS = {
  'X-Request-Id': {
    description:
      'The request id: the caller’s `X-Request-Id` when it is 1..128 of `[A-Za-z0-9_.:-]`, else a UUID. Also in the logs and in problem documents (`instance`).',
    schema: { type: 'string', maxLength: 128, pattern: '^[\\w.:-]{1,128}$' },
  },
  ETag: {
    description: 'The row’s version, quoted (`"3"`): send it back in `If-Match` to write only if nobody changed the row since.',
    schema: { type: 'string', maxLength: 12, pattern: '^"\\d{1,10}"$', example: '"3"' },
  },
  'X-RateLimit-Limit': {
    description: 'Requests the tenant may make per minute (RATE_LIMIT_PER_MINUTE). Sent once the token is accepted.',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 2_147_483_647, example: 1200 },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests the tenant has left in the current minute. Sent once the token is accepted.',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647, example: 1187 },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the oldest counted request leaves the one-minute window. Sent once the token is accepted.',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 60, example: 42 },
  },
  'Retry-After': {
    description: 'Seconds to wait before sending the request again.',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 3600, example: 5 },
  },
};
const header = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });

const IF_MATCH = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description: 'Write only if the row is still at this version (the `ETag` you read, e.g. `"3"`; `W/"3"`, `3` and `*` are accepted too). Another version: 412.',
  // No example: the UI would send it with every request and answer 412 once the row moved on.
  schema: { type: 'string', maxLength: 64, pattern: '^\\s*(\\*|(W/)?"?\\d{1,9}"?)\\s*$' },
};

/**
 * Statuses after which the rate-limit headers are set: the throttler runs after authentication, so
 * 401, 403 (role or tenant refused), 413 and 415 (refused while the body arrives) and 429 lack them.
 */
const RATE_LIMITED_STATUSES = /^(2\d\d|400|404|409|412)$/;

// The document is walked as loose JSON: its schema objects take many shapes the walkers tell apart at run time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

function* operations(doc: OpenAPIObject): Generator<{ path: string; method: string; op: Json }> {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Json)[method] as Json | undefined;
      if (op) yield { path, method, op };
    }
  }
}

const refName = (ref: string) => ref.replace('#/components/schemas/', '');

/** Every component schema reachable from `schema` (through $ref, properties, items, allOf…). */
function reachable(doc: OpenAPIObject, schema: Json | undefined, seen: Set<string>): void {
  if (!schema || typeof schema !== 'object') return;
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    if (seen.has(name)) return;
    seen.add(name);
    reachable(doc, doc.components?.schemas?.[name] as Json, seen);
    return;
  }
  for (const child of Object.values<Json>(schema.properties ?? {})) reachable(doc, child, seen);
  for (const key of ['items', 'additionalProperties']) reachable(doc, schema[key], seen);
  for (const key of ['allOf', 'oneOf', 'anyOf']) for (const part of schema[key] ?? []) reachable(doc, part, seen);
}

/** Request bodies reject unknown fields (ValidationPipe forbidNonWhitelisted), at every depth. */
function closeObjects(schema: Json | undefined): void {
  if (!schema || typeof schema !== 'object' || schema.$ref) return;
  // Objects that declare their fields; free JSON objects (metadata…) say additionalProperties: true.
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  for (const child of Object.values<Json>(schema.properties ?? {})) closeObjects(child);
  closeObjects(schema.items);
  for (const key of ['allOf', 'oneOf', 'anyOf']) for (const part of schema[key] ?? []) closeObjects(part);
}

const rolesSentence = (roles: string[]) => `Roles: ${roles.join(', ')}.`;

/**
 * Codes every fresh tenant has (its seeded defaults, the *.defaults.ts files), as path examples, so that
 * "Try it out" works as shown; a campaign is named as the create-campaign example names it.
 */
function pathExample(path: string, name: string): string | undefined {
  const campaignSide = /\/campaign/.test(path);
  return {
    source_code: 'SOCIAL',
    sub_source_code: 'FACEBOOK',
    channel_code: campaignSide ? 'FACEBOOK' : 'PAID',
    type_code: campaignSide ? 'SOCIAL_ADS' : 'SITE_VISIT',
    status_code: 'PAUSED',
    budget_type_code: 'VARIABLE',
    campaign_code: 'SPRING_2026',
  }[name];
}

/**
 * The example body Swagger UI shows, made explicit (so that clients, the UI and the examples test see
 * the same one): every property that declares an example, nested objects and arrays included.
 */
function composeExample(doc: OpenAPIObject, schema: Json | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return undefined;
  if (schema.$ref) return composeExample(doc, doc.components?.schemas?.[refName(schema.$ref)] as Json, depth + 1);
  if (schema.allOf?.length === 1) return composeExample(doc, schema.allOf[0], depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.type === 'array') {
    const item = composeExample(doc, schema.items, depth + 1);
    return item === undefined ? undefined : [item];
  }
  if (!schema.properties) return undefined;
  const out: Json = {};
  for (const [key, child] of Object.entries<Json>(schema.properties)) {
    if (child.readOnly) continue;
    const value = composeExample(doc, child, depth + 1);
    if (value !== undefined) out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * What every operation has in common, applied once over the scanned document (see the file comment).
 * Exported for the tests; the app calls buildOpenApiDocument().
 */
export function finishDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components = doc.components ?? {};
  doc.components.headers = HEADERS as Json;
  const tags = new Map(API_TAGS.map((t) => [t.name, t]));
  const requestSchemas = new Set<string>();
  const patchBodies = new Set<string>();
  const otherBodies = new Set<string>();

  for (const { path, method, op } of operations(doc)) {
    const secured = Array.isArray(op.security) && op.security.length > 0;

    // One optional If-Match, whatever case @Headers('if-match') and @ApiHeader used.
    const parameters: Json[] = op.parameters ?? [];
    const hadIfMatch = parameters.some((p) => p.in === 'header' && String(p.name).toLowerCase() === 'if-match');
    op.parameters = parameters.filter((p) => !(p.in === 'header' && String(p.name).toLowerCase() === 'if-match'));
    if (hadIfMatch) op.parameters.push({ ...IF_MATCH });
    // A code in the path that cannot be a code answers 404 (CodeParamPipe).
    for (const p of op.parameters) {
      if (p.in === 'path' && /_code$/.test(p.name)) {
        p.schema = { type: 'string', pattern: CODE_PATTERN.source, maxLength: 50 };
        p.example = p.example ?? pathExample(path, p.name);
      }
    }
    if (op.parameters.length === 0) delete op.parameters;

    // Roles, from @Roles (x-roles is set by the decorator itself).
    const roles: string[] | undefined = op['x-roles'];
    const who = roles ? rolesSentence(roles) : 'Public: no token needed.';
    op.description = op.description ? `${op.description}\n\n${who}` : who;

    // A write without a body still reads one if sent: bad JSON 400, too large 413, not JSON 415.
    const body = op.requestBody?.content?.['application/json'];
    if (secured && method !== 'get' && !body) {
      for (const status of [400, 413, 415]) op.responses[status] = op.responses[status] ?? problemResponse(status);
    }
    if (body) reachable(doc, body.schema, requestSchemas);
    if (body?.schema?.$ref) (method === 'patch' ? patchBodies : otherBodies).add(refName(body.schema.$ref));
    if (body && body.example === undefined && body.examples === undefined) body.example = composeExample(doc, body.schema);

    const tag = tags.get(op.tags?.[0]);
    for (const [status, response] of Object.entries<Json>(op.responses)) {
      const headers: Json = { 'X-Request-Id': header('X-Request-Id') };
      const json = response.content?.['application/json']?.schema;
      const row = json?.$ref ? (doc.components.schemas?.[refName(json.$ref)] as Json | undefined) : undefined;
      if (/^2/.test(status) && row?.properties?.version) headers.ETag = header('ETag');
      if (secured && RATE_LIMITED_STATUSES.test(status)) {
        for (const name of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'] as const) headers[name] = header(name);
      }
      if (status === '429' || status === '503') headers['Retry-After'] = header('Retry-After');
      response.headers = { ...headers, ...(response.headers ?? {}) };

      const problem = response.content?.['application/problem+json'];
      if (problem) problem.examples = problemExamples(Number(status), { body: Boolean(body), ...(tag ?? { noun: 'resource', key: 'X' }) });
    }
  }

  for (const name of requestSchemas) closeObjects(doc.components.schemas?.[name] as Json);
  // A PATCH leaves omitted fields as they are: the create defaults its DTO inherits do not apply.
  for (const name of patchBodies) {
    if (otherBodies.has(name)) continue;
    for (const property of Object.values<Json>((doc.components.schemas?.[name] as Json)?.properties ?? {})) delete property.default;
  }
  const used = new Set([...operations(doc)].flatMap(({ op }) => op.tags ?? []));
  doc.tags = API_TAGS.filter((t) => used.has(t.name)).map(({ name, description }) => ({ name, description }));
  return doc;
}

export function buildOpenApiDocument(app: INestApplication, apiPrefix: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Sales customization and analytics')
    .setDescription(
      [
        'Tenant configuration of lead sources, milestones and campaigns, the sales facts, and their analytics.',
        `API routes are under \`/${apiPrefix}\` (the paths below include it); the service routes \`/health\`,`,
        '`/health/ready` and `/metrics` are outside it. Every API route needs a bearer JWT (see Authorize); each',
        'operation says which roles may call it (`x-roles`). Errors are `application/problem+json` (RFC 9457) with a',
        '`code`. Rows carry a `version`: reads answer it as `ETag`, writes take it back as `If-Match`.',
      ].join(' '),
    )
    .setVersion('1')
    // Paths are absolute (they include the API prefix, and /health is outside it), so the server is the
    // origin that serves this document, whatever the environment.
    .addServer('/', 'This service, where this document is served (local development, staging or production)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: AUTH_DESCRIPTION }, 'bearer')
    .build();
  config.servers = config.servers?.map((s) => ({ ...s, 'x-internal': false }) as typeof s);
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
  return finishDocument(document);
}

/** Swagger UI at /docs, the JSON document at /docs-json (no YAML). */
export function setupOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
    useGlobalPrefix: false,
    // The token typed into Authorize survives a reload (kept in the browser's localStorage).
    swaggerOptions: { persistAuthorization: true, displayOperationId: true },
  });
}
