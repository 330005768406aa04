import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from '../common/errors/app-error';

/** A row id in the path. Anything that cannot be an id names nothing: 404, like an unknown id. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
      throw notFound('resource', JSON.stringify(String(value).slice(0, 20)));
    }
    return Number(value);
  }
}
