import { startTestApi, TestApi } from '../support/app';
import { declaredRoutes } from '../support/routes';

/**
 * Every route says who may call it. The snapshot is the permission matrix: a diff in it is a
 * permission change, to be reviewed against API.md §1 (Roles).
 */
describe('route roles', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('finds the routes of every controller', () => {
    const routes = declaredRoutes(api.app);
    // A walker that found nothing would make the checks below vacuous.
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'GET /health',
        'GET /api/v1/customization/lead-sources',
        'POST /api/v1/customization/lead-sources/:source_code/subsources/:sub_source_code/restore',
        'GET /api/v1/customization/audit-log',
      ]),
    );
  });

  it('refuses a route that declares neither @Roles nor @Public', () => {
    const undeclared = declaredRoutes(api.app).filter((r) => !r.isPublic && (!r.roles || r.roles.length === 0));
    expect(undeclared.map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`)).toEqual([]);
  });

  it('never marks a route both public and role-restricted', () => {
    const both = declaredRoutes(api.app).filter((r) => r.isPublic && r.roles);
    expect(both.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('matches the reviewed permission matrix', () => {
    const matrix = declaredRoutes(api.app).map((r) => `${r.method} ${r.path} -> ${r.isPublic ? 'public' : r.roles!.join(',')}`);
    expect(matrix).toMatchSnapshot();
  });
});
