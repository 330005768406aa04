import helmet from '@fastify/helmet';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig, configWarnings } from './config/app-config';
import { AppError } from './common/errors/app-error';
import { answerClientError } from './common/http/client-errors';
import { drainOnShutdown } from './common/http/draining';
import { buildOpenApiDocument, setupOpenApi } from './common/http/openapi';
import { routeTable, startRouteTable } from './common/http/route-table';
import { stringifyExact } from './common/numbers/exact-json';
import { escapeUndecodablePath, parseJsonBody } from './common/http/request-input';
import { MetricsService } from './health/metrics.service';
import { RATE_LIMIT_HEADERS } from './tenancy/tenant-throttler.guard';

export const API_PREFIX = 'api/v1/customization';
export const BODY_LIMIT = 1024 * 1024;
/**
 * The two bulk writes take up to 8 MiB: 5,000 leads with every field set are about 2 MB, 5,000
 * metric rows with long channel codes about 1.2 MB. Every other route keeps BODY_LIMIT.
 */
export const BULK_BODY_LIMIT = 8 * 1024 * 1024;
export const BULK_ROUTES = [`/${API_PREFIX}/leads/bulk`, `/${API_PREFIX}/campaigns/:campaign_code/metrics/bulk`];

/** Every route registered on a Fastify instance made by createFastifyAdapter, as Fastify saw it (method, URL). */
export { routeTable };

/**
 * Per-route options Nest cannot declare, set as each route is registered: the bulk routes' body
 * limit (Fastify counts a route's bodyLimit before the parser's, also on bodies streamed without
 * Content-Length). Also records the route table.
 */
function routeOptions(adapter: FastifyAdapter): FastifyAdapter {
  const table = startRouteTable(adapter.getInstance());
  adapter.getInstance().addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    for (const method of methods) table.push({ method, url: route.url });
    if (methods.includes('POST') && BULK_ROUTES.includes(route.url)) route.bodyLimit = BULK_BODY_LIMIT;
  });
  return adapter;
}

export const createFastifyAdapter = () =>
  drainOnShutdown(
    routeOptions(
      new FastifyAdapter({
        bodyLimit: BODY_LIMIT,
        // Behind a load balancer the client address comes from X-Forwarded-For.
        trustProxy: true,
        // While draining on shutdown, new requests get 503 problem+json (drainOnShutdown).
        return503OnClosing: false,
        requestTimeout: 30_000,
        // What Node's HTTP parser refuses (bad header characters, raw non-ASCII in the URL, headers over
        // 16 KiB, a request that never finishes) is answered in problem+json too, and logged.
        clientErrorHandler: answerClientError,
        // A URL the router cannot decode, or a parameter over its length limit, would be answered by the
        // router itself (raw JSON, no security headers): escaped undecodable segments reach routing as
        // text (404), and no parameter that fits in a request line is over the limit.
        rewriteUrl: (req: IncomingMessage) => escapeUndecodablePath(req.url ?? '/'),
        routerOptions: { maxParamLength: BODY_LIMIT },
        // One id per request: the caller's X-Request-Id when sane, else a UUID. Kept on the raw request
        // too, so the access log (pino-http), the CLS context and problem documents all carry the same id.
        genReqId: (req: IncomingMessage) => {
          const incoming = req.headers['x-request-id'];
          const id = typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
          (req as { id?: string }).id = id;
          return id;
        },
      }),
    ),
  );

/**
 * Everything the app needs besides its modules, shared by main.ts and the test harness so that tests
 * exercise the same HTTP behaviour: prefix, pipe, problem+json for Fastify's own errors, security
 * headers, CORS, metrics hook, Swagger.
 */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  for (const warning of configWarnings(config)) app.get(Logger).warn(warning, 'Config');
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'health/ready', 'metrics'] });
  // No global pipe: our controllers carry the validation pipe (CustomizationModule's `http`).
  // On SIGTERM/SIGINT: stop accepting, let in-flight requests finish, close the pool, then exit 0 (by
  // default Nest re-raises the signal after closing, and the process ends killed by SIGTERM instead).
  app.enableShutdownHooks([], { useProcessExit: true });

  // Fastify's own errors (body over 1 MiB, bad JSON, media type) reach ProblemDetailsFilter through
  // the error handler Nest installs at init (test/common/http.e2e-spec.ts checks each).
  const fastify = app.getHttpAdapter().getInstance();

  // JSON bodies only (API.md §1). Fastify parses text/plain and Nest adds a urlencoded parser at init,
  // which would hand a string or a form to the validation pipe (400). Without them, any other media
  // type has no parser and Fastify answers 415, which the filter turns into UNSUPPORTED_MEDIA_TYPE.
  // Registering our own urlencoded parser first keeps Nest from adding its default one.
  fastify.removeContentTypeParser('text/plain');
  // JSON bodies that would reach a 500 or be stored altered (too deep, lone surrogates, not UTF-8,
  // keys the transformation drops) answer 400 VALIDATION_FAILED (src/common/http/request-input.ts).
  // No bodyLimit here: the parser's limit would override the bulk routes' own (routeOptions); the
  // adapter's BODY_LIMIT applies to every other route.
  app.useBodyParser('application/json', {}, (_request, body, done) => {
    const parsed = parseJsonBody(body);
    if ('error' in parsed) done(new AppError('VALIDATION_FAILED', parsed.error), undefined);
    else done(null, parsed.value);
  });
  app.useBodyParser('application/x-www-form-urlencoded', {}, (_request, _body, done) =>
    done(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Request bodies must be application/json'), undefined),
  );

  await app.register(helmet, {
    // An API answers JSON: no inline scripts to allow, except the Swagger UI page at /docs.
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
  });
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    // @fastify/cors allows GET, HEAD and POST by default: a browser could not PATCH, PUT or DELETE.
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['ETag', 'Retry-After', 'X-Request-Id', ...RATE_LIMIT_HEADERS],
    // A browser reuses a preflight's answer this long instead of asking before every call.
    maxAge: config.corsMaxAgeSeconds,
  });

  // Sums and rates too large for a double keep their exact digits (src/common/numbers/exact-json.ts).
  fastify.setReplySerializer((payload) => stringifyExact(payload));

  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  const metrics = app.get(MetricsService);
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  // The document as JSON only: no /docs-yaml (nothing outside the API base but health, metrics and the docs).
  setupOpenApi(app, buildOpenApiDocument(app, API_PREFIX));
}
