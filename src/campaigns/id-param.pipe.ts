import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from '../common/errors/app-error';

/**
 * A row id in the path. Anything that cannot be an id names nothing: 404, like an unknown id. (The
 * global ValidationPipe may have turned the string into a number already: both are accepted.)
 */
@Injectable()
export class IdParamPipe implements PipeTransform<string | number, number> {
  transform(value: string | number): number {
    const text = String(value);
    if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > 2_147_483_647) throw notFound('resource', JSON.stringify(text.slice(0, 20)));
    return Number(text);
  }
}
