import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { FastifyReply } from 'fastify';
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

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<{ id?: string }>();
    sendProblem(reply, error, request?.id, this.logger);
  }
}
