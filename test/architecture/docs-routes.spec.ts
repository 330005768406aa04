import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_PREFIX } from '../../src/app.setup';
import { startTestApi, TestApi } from '../support/app';
import { declaredRoutes } from '../support/routes';

/**
 * docs/API.md is the contract a reader has with only the repository in hand. Its route index must
 * list exactly the routes the service serves, with the roles each one allows, so the prose cannot
 * drift from the code (the OpenAPI document is generated from the same routes).
 */
describe('docs/API.md route index', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('lists every served route with its roles, and nothing else', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'docs', 'API.md'), 'utf8');
    const index = text.slice(text.indexOf('## 7. Route index'));
    const documented = [...index.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| ([^|]+) \|$/gm)]
      .map(([, method, path, roles]) => `${method} ${path} -> ${roles.trim()}`)
      .sort();
    const served = declaredRoutes(api.app)
      .map((r) => {
        const path = r.path.replace(`/${API_PREFIX}`, '').replace(/:(\w+)/g, '{$1}');
        return `${r.method} ${path || '/'} -> ${r.isPublic ? 'public' : r.roles!.join(', ')}`;
      })
      .sort();
    expect(served.length).toBeGreaterThan(100);
    expect(documented).toEqual(served);
  });
});
