import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppError, FieldError, notFound, validationFailed } from '../errors/app-error';
import { CodeParamPipe } from '../http/code-param.pipe';
import { IdParamPipe } from '../http/id-param.pipe';
import { cacheValidationMetadata } from './metadata-cache';

/**
 * Input validation at the boundary of the services, with the routes' rules, for code that calls the
 * services in-process (a host application embedding the modules) instead of through HTTP.
 *
 * Methods meant for hosts (each validates what it is given, as its route would, and throws the
 * route's AppError, an HttpException: 400 VALIDATION_FAILED with field errors, 404 for an id or code
 * that cannot name anything):
 * - LeadsService: `get(id)`, `list(query)`, `create(body)`, `update(id, body, ifMatch?)`, `remove(id, ifMatch?)`
 * - LeadTouches: `list(leadId, query)`, `record(leadId, body)` (a later touch), `recordMany(items)` (many, in one transaction)
 * - LeadMilestonesService: `create(leadId, body)` (record a milestone), `list(leadId, query)`, `timeline(leadId)`
 * - SourceAnalyticsService: `all(query)`, `source(sourceCode, query)`, `subsource(sourceCode, subSourceCode, query)`, `trends(query)` (each query may name a `model`)
 * - CampaignsService: `get(code)`, `list(query)`, `transition(code, statusCode, ifMatch?)` (change a campaign's status)
 * Bodies and queries are the route's DTO classes, given as plain objects or instances; a query's
 * defaults (e.g. `limit` 50) apply when left out. Every other public method is internal: it trusts
 * its caller (a controller after the global pipe, or another service).
 *
 * The HTTP path validates once: what the global pipe has validated is marked, and validateInput lets
 * a marked instance through untouched.
 */
const validated = new WeakSet<object>();

/** Marks a value as validated with its class's rules (the global pipe's output). */
export function markValidated<T>(value: T): T {
  if (typeof value === 'object' && value !== null) validated.add(value);
  return value;
}

/** The contract's 400 for class-validator's findings (the global pipe's too). */
export function validationError(errors: ValidationError[]): AppError {
  const fields = flattenValidationErrors(errors);
  return validationFailed(fields, fields.map((f) => `${f.field}: ${f.message}`).join('; ') || 'The request is not valid');
}

/** Flattens nested class-validator errors into `{ field: "channels[0].channel_code", message }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent === '' ? e.property : /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, 'unknown field $1'),
    }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** The options the global pipe validates with (validation.pipe.ts), for one body or query. */
export const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: false } as const;
export const TRANSFORM_OPTIONS = { enableImplicitConversion: false } as const;

/**
 * The body or query `value` as an instance of `cls`, validated with the routes' rules (unknown
 * fields refused); throws the route's 400 otherwise. `undefined` stands for an empty object (a query
 * left out).
 */
export function validateInput<T extends object>(cls: new () => T, value: unknown): T {
  if (value instanceof cls && validated.has(value)) return value;
  const given = value === undefined ? {} : value;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw validationFailed([], `The input must be an object with the fields of ${cls.name}`);
  }
  cacheValidationMetadata();
  const instance = plainToInstance(cls, { ...given }, TRANSFORM_OPTIONS);
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length > 0) throw validationError(errors);
  return markValidated(instance);
}

/** A numeric id as its path parameter takes it: anything but a positive 32-bit integer names nothing (404). */
export function validateId(value: unknown, what: string): number {
  if (typeof value !== 'number' && typeof value !== 'string') throw notFound(what, JSON.stringify(String(value).slice(0, 60)));
  return new IdParamPipe(what).transform(String(value));
}

/** A code as its path parameter takes it: anything that can never be a code names nothing (404). */
export function validateCode(value: unknown): string {
  return new CodeParamPipe().transform(value as string);
}
