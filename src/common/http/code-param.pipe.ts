import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from '../errors/app-error';
import { CODE_PATTERN } from '../validation/decorators';

/**
 * A code in the path. A string that can never be a code names nothing, so it answers 404 like any
 * unknown code (no 400 that would tell valid from invalid codes apart for addressing).
 */
@Injectable()
export class CodeParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !CODE_PATTERN.test(value)) throw notFound('resource', JSON.stringify(String(value).slice(0, 60)));
    return value;
  }
}
