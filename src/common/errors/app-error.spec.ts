import { ArgumentsHost, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { AppError, duplicateCode, notFound, unauthenticated, validationFailed } from './app-error';
import { ERROR_STATUS, ErrorCode } from './error-codes';
import { toProblem } from './to-problem';

/** What Nest's default exception filter sends for an error: status and body, through a fake HTTP adapter. */
function renderedByNest(error: unknown): { status: number; body: unknown } {
  const sent: { status: number; body: unknown }[] = [];
  const adapter = {
    reply: (_res: unknown, body: unknown, status: number) => sent.push({ status, body }),
    isHeadersSent: () => false,
    end: () => undefined,
  };
  const filter = new BaseExceptionFilter(adapter as never);
  const host = { getArgByIndex: () => ({}), getArgs: () => [{}, {}], switchToHttp: () => ({ getResponse: () => ({}), getRequest: () => ({}) }) };
  filter.catch(error, host as unknown as ArgumentsHost);
  return sent[0];
}

describe('AppError as a Nest HTTP exception', () => {
  it.each(Object.keys(ERROR_STATUS) as ErrorCode[])('carries the status of %s', (code) => {
    const error = new AppError(code, 'some detail');
    expect(error).toBeInstanceOf(HttpException);
    expect(error).toBeInstanceOf(Error);
    expect(error.getStatus()).toBe(ERROR_STATUS[code]);
    expect(error.errorCode).toBe(code);
    expect(error.message).toBe('some detail');
    expect(error.name).toBe('AppError');
  });

  it("answers with the problem document as body, the same one the service's filter sends", () => {
    for (const error of [
      validationFailed([{ field: 'source_code', message: 'source_code must match ^[A-Z][A-Z0-9_]{0,49}$' }], 'source_code: bad'),
      notFound('lead', 42),
      duplicateCode('lead', 'L-1', 7),
      unauthenticated(),
    ]) {
      expect(error.getResponse()).toEqual(toProblem(error).problem);
      expect(JSON.stringify(error.getResponse())).toBe(JSON.stringify(toProblem(error).problem));
    }
  });

  it("is rendered by Nest's default filter with its status and code, not as a 500", () => {
    const rendered = renderedByNest(validationFailed([{ field: 'status', message: 'status must be one of …' }]));
    expect(rendered.status).toBe(400);
    expect(rendered.body).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, errors: [{ field: 'status' }] });
    expect(renderedByNest(notFound('lead', 9))).toEqual({
      status: 404,
      body: { type: 'https://errors.sales-customization/not-found', title: 'Not found', status: 404, detail: 'lead 9 not found', code: 'NOT_FOUND' },
    });
  });
});
