import { TestResponse } from './app';

/**
 * Expects one of the statuses and returns the JSON body (undefined for an empty one). A setup request
 * that fails stops the test with the server's answer in the message.
 */
export function ok(res: Pick<TestResponse, 'statusCode' | 'body' | 'json'>, status: number | number[] = 200): any {
  const expected = [status].flat();
  if (!expected.includes(res.statusCode)) throw new Error(`expected ${expected.join('/')}, got ${res.statusCode}: ${res.body.slice(0, 2000)}`);
  return res.body === '' ? undefined : res.json();
}

/** One field of every row of a list answer's page (`data`), in the order served. */
export const listed = (res: Pick<TestResponse, 'json'>, field: string): any[] => res.json().data.map((row: Record<string, unknown>) => row[field]);
