import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from '../errors/app-error';

/** A numeric id in the path: anything that is not a positive 32-bit integer names nothing → 404. */
@Injectable()
export class IdParamPipe implements PipeTransform<string | number, number> {
  // The global ValidationPipe runs first and may already have turned the text into a number.
  transform(value: string | number): number {
    const text = String(value);
    if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > 2_147_483_647) {
      throw notFound('resource', JSON.stringify(text.slice(0, 40)));
    }
    return Number(text);
  }
}
