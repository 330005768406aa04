import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from '../errors/app-error';
import { MAX_PUBLIC_ID } from './api-integer';

/**
 * A numeric id in the path, as the URL's text (the global pipe leaves path parameters alone): anything
 * that is not a positive 32-bit integer in plain decimals names nothing → 404, naming what was asked
 * for as it was written (`lead "abc" not found`, as `lead 42 not found` for a well-formed unknown id).
 */
@Injectable()
export class IdParamPipe implements PipeTransform<string, number> {
  /** What the id addresses, for the not-found message: `lead`, `lead milestone`… */
  constructor(private readonly what = 'resource') {}

  transform(value: string): number {
    const text = String(value);
    if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > MAX_PUBLIC_ID) {
      // At most 60 characters of it, as CodeParamPipe.
      throw notFound(this.what, JSON.stringify(text.slice(0, 60)));
    }
    return Number(text);
  }
}
