import { BadRequestException, ForbiddenException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { AppError, duplicateCode, invalidToken, notFound, unauthenticated, validationFailed } from './app-error';
import { toProblem } from './to-problem';

/** A driver error as TypeORM wraps it (QueryFailedError carries the driver's error). */
const queryFailed = (code: string, message: string) =>
  Object.assign(new Error(`QueryFailedError: ${message}`), {
    query: 'INSERT INTO `tenant_lead_sources` (`source_code`) VALUES (?)',
    parameters: ['WEBSITE'],
    driverError: Object.assign(new Error(message), { code }),
  });

describe('toProblem', () => {
  it('gives an AppError its own code, detail, field errors and headers', () => {
    const { problem, headers } = toProblem(new AppError('RATE_LIMITED', 'Rate limit of 5 requests per minute exceeded', undefined, { 'retry-after': '42' }));
    expect(problem).toEqual({
      type: 'https://errors.sales-customization/rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: 'Rate limit of 5 requests per minute exceeded',
      code: 'RATE_LIMITED',
    });
    expect(headers).toEqual({ 'retry-after': '42' });

    const invalid = toProblem(validationFailed([{ field: 'source_code', message: 'bad' }])).problem;
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'source_code', message: 'bad' }] });
    expect(toProblem(notFound('lead source', 'X')).problem).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'lead source X not found' });
  });

  it('carries existing_id when a duplicate names the row that has the code', () => {
    expect(toProblem(duplicateCode('lead', 'CRM-1', 42)).problem).toEqual({
      type: 'https://errors.sales-customization/duplicate-code',
      title: 'Duplicate code',
      status: 409,
      detail: 'lead code CRM-1 is already in use by lead 42',
      code: 'DUPLICATE_CODE',
      existing_id: 42,
    });
    expect(toProblem(duplicateCode('lead source', 'WEBSITE')).problem).not.toHaveProperty('existing_id');
  });

  it('leaves out an empty errors list', () => {
    expect(toProblem(validationFailed([])).problem).not.toHaveProperty('errors');
  });

  it.each([
    [400, new BadRequestException('bad'), 400, 'VALIDATION_FAILED'],
    [401, new HttpException('who are you', 401), 401, 'UNAUTHENTICATED'],
    [403, new ForbiddenException(), 403, 'FORBIDDEN'],
    [404, new NotFoundException('Cannot GET /nope'), 404, 'NOT_FOUND'],
    [405, new HttpException('Method not allowed', 405), 404, 'NOT_FOUND'],
    [409, new HttpException('conflict', 409), 409, 'CONFLICT'],
    [412, new HttpException('stale', 412), 412, 'PRECONDITION_FAILED'],
    [413, new HttpException('big', 413), 413, 'PAYLOAD_TOO_LARGE'],
    [415, new HttpException('type', 415), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [429, new HttpException('slow down', 429), 429, 'RATE_LIMITED'],
    [418, new HttpException('teapot', 418), 400, 'VALIDATION_FAILED'],
    [502, new HttpException('bad gateway', 502), 500, 'INTERNAL'],
  ])('maps an HttpException %p to status %p %s', (_status, error, status, code) => {
    const { problem } = toProblem(error);
    expect(problem.status).toBe(status);
    expect(problem.code).toBe(code);
  });

  it("challenges every 401 with WWW-Authenticate: Bearer, and keeps an AppError's own challenge", () => {
    expect(toProblem(new HttpException('who are you', 401)).headers).toEqual({ 'www-authenticate': 'Bearer' });
    expect(toProblem(unauthenticated()).headers).toEqual({ 'www-authenticate': 'Bearer' });
    expect(toProblem(invalidToken('The token has "expired"')).headers).toEqual({
      'www-authenticate': `Bearer error="invalid_token", error_description="The token has 'expired'"`,
    });
  });

  it('answers "No such route" for Nest 404s and hides the text of 5xx exceptions', () => {
    expect(toProblem(new NotFoundException('Cannot GET /api/v1/customization/x')).problem.detail).toBe('No such route');
    expect(toProblem(new HttpException('upstream said: secret', 502)).problem.detail).toBe('The server failed to answer');
  });

  it('answers 503 with Retry-After for a failed health check', () => {
    const { problem, headers } = toProblem(new ServiceUnavailableException({ status: 'error', error: { database: { status: 'down' } } }));
    expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(Number(headers['retry-after'])).toBeGreaterThan(0);
  });

  it.each([
    ['ER_DUP_ENTRY', "Duplicate entry 't-1-WEBSITE-1' for key 'ux_lead_sources__source_code'"],
    ['SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: tenant_lead_sources.tenant_id, tenant_lead_sources.source_code'],
  ])('maps a unique-key violation (%s) to DUPLICATE_CODE without the driver text', (code, message) => {
    const { problem } = toProblem(queryFailed(code, message));
    expect(problem).toMatchObject({ status: 409, code: 'DUPLICATE_CODE' });
    expect(JSON.stringify(problem)).not.toMatch(/INSERT|tenant_lead_sources|ux_lead_sources|UNIQUE|Duplicate entry/);
  });

  it.each(['ECONNREFUSED', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR', 'POOL_CLOSED', 'SQLITE_BUSY', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT'])(
    'maps a connection failure or transient lock conflict (%s) to SERVICE_UNAVAILABLE with Retry-After',
    (code) => {
      const viaDriver = toProblem(queryFailed(code, `connect ${code} 10.0.0.5:3306`));
      const bare = toProblem(Object.assign(new Error(`connect ${code} 10.0.0.5:3306`), { code }));
      for (const { problem, headers } of [viaDriver, bare]) {
        expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
        expect(headers['retry-after']).toMatch(/^\d+$/);
        expect(JSON.stringify(problem)).not.toContain('10.0.0.5');
      }
    },
  );

  it.each([
    ['MariaDB ER_STATEMENT_TIMEOUT (errno 1969, no mysql2 name)', { errno: 1969 }, 'Query execution was interrupted (max_statement_time exceeded)'],
    ['MySQL 8 ER_QUERY_TIMEOUT', { code: 'ER_QUERY_TIMEOUT', errno: 3024 }, 'Query execution was interrupted, maximum statement execution time exceeded'],
    ['MySQL 5.7.4-5.7.7 (errno 1907)', { errno: 1907 }, 'Query execution was interrupted, max_statement_time exceeded'],
    ['the text alone', {}, 'Query execution was interrupted, maximum statement execution time exceeded'],
  ])('maps a statement cut off by the time limit (%s) to SERVICE_UNAVAILABLE with Retry-After, without the driver text', (_what, fields, message) => {
    const viaTypeorm = Object.assign(new Error(`QueryFailedError: ${message}`), {
      query: 'SELECT * FROM `lead` FOR UPDATE',
      ...fields,
      driverError: Object.assign(new Error(message), fields),
    });
    const bare = Object.assign(new Error(message), fields);
    for (const { problem, headers } of [toProblem(viaTypeorm), toProblem(bare)]) {
      expect(problem).toEqual({
        type: 'https://errors.sales-customization/service-unavailable',
        title: 'Service unavailable',
        status: 503,
        detail: 'The database did not answer in time; try again shortly',
        code: 'SERVICE_UNAVAILABLE',
      });
      expect(headers).toEqual({ 'retry-after': '5' });
    }
  });

  it.each([
    ['a command on a connection that died', Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true })],
    ['a write on a closed connection', new Error("Can't write in closed state")],
    ['a closed pool', new Error('Pool is closed.')],
    ['no free connection in time', Object.assign(new Error('No database connection became free in time'), { code: 'POOL_ACQUIRE_TIMEOUT' })],
    ['any fatal driver error', Object.assign(new Error('Connection lost: The server closed the connection.'), { fatal: true, code: 'SOME_NEW_CODE' })],
    [
      'a fatal error wrapped by TypeORM',
      Object.assign(new Error('QueryFailedError'), {
        driverError: Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true }),
      }),
    ],
  ])('maps %s to SERVICE_UNAVAILABLE with Retry-After', (_what, error) => {
    const { problem, headers } = toProblem(error);
    expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', detail: 'The database is unreachable; try again shortly' });
    expect(headers).toEqual({ 'retry-after': '5' });
  });

  it.each([
    [413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'PAYLOAD_TOO_LARGE'],
    [415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE'],
    [400, 'FST_ERR_CTP_INVALID_JSON_BODY', 'VALIDATION_FAILED'],
  ])('maps a Fastify error with statusCode %p (%s) to %s', (statusCode, code, expected) => {
    const error = Object.assign(new Error(`${code}: Unexpected token } in JSON at position 7`), { statusCode, code });
    const { problem } = toProblem(error);
    expect(problem).toMatchObject({ status: statusCode, code: expected });
    expect(problem.detail).not.toContain('Unexpected token');
  });

  it.each([
    [1406, 'ER_DATA_TOO_LONG', "Data too long for column 'document_urls' at row 1", 'document_urls'],
    [1264, 'ER_WARN_DATA_OUT_OF_RANGE', "Out of range value for column 'total_cost' at row 1", 'total_cost'],
    [1366, 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', "Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column `app`.`audit_log`.`changes` at row 1", 'changes'],
  ])('maps a value too large for its column (errno %p) to a 400 naming the field, without the driver text', (errno, code, message, field) => {
    const error = queryFailed(code, message);
    Object.assign(error.driverError, { errno });
    const { problem, headers } = toProblem(error);
    expect(problem).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: `${field} is too large to store`,
      errors: [{ field, message: 'is too large to store' }],
    });
    expect(JSON.stringify(problem)).not.toMatch(/INSERT|row 1|Data too long|Out of range|Incorrect|app/);
    expect(headers).toEqual({});
  });

  it('maps an out-of-range counter whose column the message does not name to a 400 without field errors', () => {
    const error = queryFailed('ER_DATA_OUT_OF_RANGE', "BIGINT value is out of range in '`app`.`t`.`n` + 1'");
    Object.assign(error.driverError, { errno: 1690 });
    expect(toProblem(error).problem).toEqual(expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED', detail: 'A value is too large to store' }));
    expect(toProblem(error).problem).not.toHaveProperty('errors');
  });

  it("maps mysql2's pool queue overflow to SERVICE_UNAVAILABLE", () => {
    expect(toProblem(new Error('Queue limit reached.')).problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it.each([
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a query error', queryFailed('ER_PARSE_ERROR', "You have an error in your SQL syntax near 'SELECT * FROM lead'")],
    ['a string', 'boom'],
    ['undefined', undefined],
    ['a Fastify 5xx', Object.assign(new Error('socket hang up'), { statusCode: 500 })],
  ])('answers INTERNAL with a fixed text for %s', (_what, error) => {
    const { problem, headers } = toProblem(error);
    expect(problem).toEqual({
      type: 'https://errors.sales-customization/internal',
      title: 'Internal server error',
      status: 500,
      detail: 'The server failed to answer',
      code: 'INTERNAL',
    });
    expect(headers).toEqual({});
  });
});
