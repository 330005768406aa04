import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppError } from '../errors/app-error';
import { sendProblem } from '../errors/problem-details.filter';

/**
 * The shutdown API.md asks for, on Nest's Fastify adapter. On SIGTERM Nest calls the adapter's
 * beforeClose first, then the shutdown hooks, then closes the server. From beforeClose on:
 * - a request that arrives is answered 503 SERVICE_UNAVAILABLE problem+json with Retry-After (use it
 *   with `return503OnClosing: false`: Nest's and Fastify's own 503 is plain JSON without Retry-After);
 * - every answer closes its connection: requests already in a handler finish with their answer, and
 *   no idle keep-alive connection holds the server open until Fastify's keep-alive timeout (72 s),
 *   which kept the process from exiting.
 * The hooks are added at once, before Nest's middleware, like Nest's own 503 hook. The adapter stays a
 * plain FastifyAdapter (nestjs-cls recognises Fastify by the adapter's class name).
 */
export function drainOnShutdown(adapter: FastifyAdapter): FastifyAdapter {
  let draining = false;
  const beforeClose = adapter.beforeClose.bind(adapter);
  adapter.beforeClose = () => {
    draining = true;
    beforeClose();
  };
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!draining) return done();
    reply.header('connection', 'close');
    sendProblem(reply, new AppError('SERVICE_UNAVAILABLE', 'The service is shutting down; retry the request', undefined, { 'retry-after': '1' }), request.id);
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
  return adapter;
}
