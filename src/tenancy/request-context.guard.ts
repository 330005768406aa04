import { CanActivate, Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';

/**
 * First guard of our routes: makes sure the request runs in an async (CLS) context, where the
 * AuthGuard writes the principal. The standalone server (and any host that mounts nestjs-cls's
 * middleware) has one already, and it is used as is; otherwise the request gets a fresh one, as
 * nestjs-cls's own ClsGuard does.
 */
@Injectable()
export class RequestContextGuard implements CanActivate {
  constructor(private readonly cls: ClsService) {}

  canActivate(): boolean {
    if (!this.cls.isActive()) this.cls.enter();
    return true;
  }
}
