import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { invalidToken, unauthenticated } from '../common/errors/app-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * GET /metrics with METRICS_TOKEN set: the scraper sends `Authorization: Bearer <METRICS_TOKEN>`,
 * anything else is 401. The route stays out of the JWT guard (@Public): Prometheus has no tenant.
 * Both sides are hashed first, so the comparison takes the same time whatever the length or content
 * of what was sent.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw unauthenticated('/metrics needs the metrics token as a bearer token');
    if (!timingSafeEqual(digest(match[1]), this.expected)) throw invalidToken('The metrics token is not valid');
    return true;
  }
}
