import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldError } from '../errors/app-error';
import { cacheValidationMetadata } from './metadata-cache';
import { flattenValidationErrors, markValidated, TRANSFORM_OPTIONS, validationError, VALIDATOR_OPTIONS } from './validate-input';

export { flattenValidationErrors };

/**
 * Path parameters reach their own pipes (IdParamPipe, CodeParamPipe) as the URL's text: the stock
 * pipe turns the text of a `number` parameter into `+text` first, so `/leads/abc` named "NaN" and
 * `/leads/0x10` reached lead 16.
 */
class AppValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }

  /** What passed is marked, so that the services' boundary checks (validateInput) do not run twice. */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return markValidated(await super.transform(value, metadata));
  }
}

/** Global pipe: whitelist + forbidNonWhitelisted (no mass assignment), contract-shaped 400s. */
export const createValidationPipe = () => {
  cacheValidationMetadata();
  return new AppValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: TRANSFORM_OPTIONS,
    exceptionFactory: validationError,
  });
};

/**
 * Validates each element of a batch against a DTO class with the pipe's rules (whitelist, no unknown
 * fields), so that a batch answer can name every bad row at once: `leads[3].source_code`.
 * Returns the transformed rows (undefined where invalid) and the field errors.
 */
export function validateRows<T extends object>(cls: new () => T, rows: unknown[], field: string): { rows: (T | undefined)[]; errors: FieldError[] } {
  cacheValidationMetadata();
  const errors: FieldError[] = [];
  const out = rows.map((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      errors.push({ field: `${field}[${i}]`, message: 'each item must be an object' });
      return undefined;
    }
    const instance = plainToInstance(cls, row);
    const problems = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (problems.length === 0) return instance;
    errors.push(...flattenValidationErrors(problems, `${field}[${i}]`));
    return undefined;
  });
  return { rows: out, errors };
}
