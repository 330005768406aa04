import { TestResponse } from './app';

/** The parts of an answer the checks below read. */
type Answer = Pick<TestResponse, 'statusCode' | 'headers' | 'body' | 'json'>;

/** Text that must never reach a client: SQL, driver messages, stack frames, file paths. */
export const LEAK =
  /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|SQLITE_|ER_[A-Z_]+|QueryFailedError|TypeError|\bat \S+ \(|\.ts:\d+|node_modules|\/work\//;

/**
 * An RFC 9457 problem (API.md §1): served as application/problem+json, with this status and code,
 * a type, title and detail, and nothing of the server's internals (LEAK).
 */
export function expectProblem(res: Answer, status: number, code: string): void {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(res.body).not.toMatch(LEAK);
  expect(res.statusCode).toBe(status);
}

/** 403 FORBIDDEN: the role may not do this. */
export const expectForbidden = (res: Answer): void => expectProblem(res, 403, 'FORBIDDEN');

/** 404 NOT_FOUND: also what another tenant's row looks like (API.md §1 Isolation). */
export const expectNotFound = (res: Answer): void => expectProblem(res, 404, 'NOT_FOUND');

/** The fields a 400 names, in the order it names them (a field failing two constraints is named twice). */
export const fieldsOf = (res: Pick<TestResponse, 'json'>): string[] => (res.json().errors ?? []).map((e: { field: string }) => e.field);

/** The distinct fields a 400 names (a field failing two constraints is named once). */
export const distinctFields = (res: Pick<TestResponse, 'json'>): string[] => [...new Set(fieldsOf(res))];

/** 400 VALIDATION_FAILED naming `field` (among others, maybe). */
export function expectValidationError(res: Answer, field: string): void {
  expectProblem(res, 400, 'VALIDATION_FAILED');
  expect(fieldsOf(res)).toContain(field);
}
