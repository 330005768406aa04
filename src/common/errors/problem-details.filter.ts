import { ArgumentsHost, Catch, ExceptionFilter, Logger, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { methodsAt } from '../http/route-table';
import { AppError } from './app-error';
import { toProblem } from './to-problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Sends any error as problem+json. Also used as Fastify's own error handler (see main.ts). */
export function sendProblem(reply: FastifyReply, error: unknown, requestId?: string, logger?: Logger): void {
  const { problem, headers } = toProblem(error);
  if (problem.status >= 500 && logger) {
    logger.error({ err: error, requestId, code: problem.code }, 'request failed');
  }
  if (reply.sent) return;
  reply
    .status(problem.status)
    .headers(headers)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(requestId ? { ...problem, instance: requestId } : problem));
}

/**
 * The router found no route for the request (Nest's not-found handler throws a NotFoundException;
 * our own code throws AppError). When the path has routes for other methods, the answer is 405 with
 * an Allow header listing them (RFC 9110 §15.5.6) instead of 404. OPTIONS is no exception: CORS
 * preflights are answered before routing (app.setup.ts), any other OPTIONS is a method no path has.
 */
function methodNotAllowed(error: unknown, request: FastifyRequest | undefined, fastify: object | undefined): AppError | undefined {
  if (!(error instanceof NotFoundException) || !request || !fastify) return undefined;
  const allowed = methodsAt(fastify, request.url.split('?')[0]);
  if (allowed.length === 0 || allowed.includes(request.method)) return undefined;
  return new AppError('METHOD_NOT_ALLOWED', `${request.method} is not allowed here; this path answers ${allowed.join(', ')}`, undefined, {
    allow: allowed.join(', '),
  });
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest | undefined>();
    const fastify = this.adapterHost.httpAdapter?.getInstance() as object | undefined;
    sendProblem(reply, methodNotAllowed(error, request, fastify) ?? error, request?.id, this.logger);
  }
}
