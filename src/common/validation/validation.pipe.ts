import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, validationFailed } from '../errors/app-error';

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

/** Global pipe: whitelist + forbidNonWhitelisted (no mass assignment), contract-shaped 400s. */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return validationFailed(fields, fields.map((f) => `${f.field}: ${f.message}`).join('; ') || 'The request is not valid');
    },
  });
