import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_PREFIX } from '../../src/app.setup';
import { PUBLIC_KEY, ROLES_KEY } from '../../src/tenancy/roles.decorator';
import { Role } from '../../src/tenancy/tenant-context';

export interface DeclaredRoute {
  method: string;
  /** As Fastify registered it, e.g. `/api/v1/customization/lead-sources/:source_code`. */
  path: string;
  controller: string;
  handler: string;
  roles?: Role[];
  isPublic: boolean;
}

const segments = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value ?? '')]);
const join = (...parts: string[]) =>
  '/' +
  parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/');

/**
 * Every controller route of a running app, read from Nest's metadata (as the guard reads it), with
 * the path Fastify actually serves: the global prefix applies unless the route is excluded from it,
 * and each candidate is checked against Fastify's router so that a wrong guess cannot pass silently.
 */
export function declaredRoutes(app: NestFastifyApplication): DeclaredRoute[] {
  const fastify = app.getHttpAdapter().getInstance();
  const scanner = new MetadataScanner();
  const routes: DeclaredRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!type?.prototype) continue;
      const prototype = type.prototype as Record<string, (...args: unknown[]) => unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (requestMethod === undefined || methodPaths === undefined) continue;
        const method = RequestMethod[requestMethod];
        for (const controllerPath of segments(Reflect.getMetadata(PATH_METADATA, type))) {
          for (const methodPath of segments(methodPaths)) {
            const candidates = [join(API_PREFIX, controllerPath, methodPath), join(controllerPath, methodPath)];
            const path = candidates.find((url) => fastify.hasRoute({ method: method as 'GET', url }));
            if (!path) throw new Error(`${type.name}.${name}: none of ${candidates.join(', ')} is registered with Fastify`);
            const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, type)) as Role[] | undefined;
            const isPublic = Boolean(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, type));
            routes.push({ method, path, controller: type.name, handler: name, roles, isPublic });
          }
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** `/lead-sources/:source_code` → `/lead-sources/{source_code}` (OpenAPI's template syntax). */
export const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
