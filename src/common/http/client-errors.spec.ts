import { parserErrorResponse, parserErrorToAppError } from './client-errors';

describe('parser errors', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'HEADERS_TOO_LARGE', /exceed 16 KiB/],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'REQUEST_TIMEOUT', /in time/],
    ['HPE_INVALID_HEADER_TOKEN', 400, 'VALIDATION_FAILED', /header/],
    ['HPE_INVALID_URL', 400, 'VALIDATION_FAILED', /percent-encode/],
    ['HPE_UNEXPECTED_CONTENT_LENGTH', 400, 'VALIDATION_FAILED', /Content-Length, Transfer-Encoding/],
    ['HPE_INVALID_METHOD', 400, 'VALIDATION_FAILED', /not valid HTTP/],
    [undefined, 400, 'VALIDATION_FAILED', /not valid HTTP/],
  ])('answers %s with %p %s', (code, status, expected, detail) => {
    const error = parserErrorToAppError(code);
    expect([error.getStatus(), error.code]).toEqual([status, expected]);
    expect(error.detail).toMatch(detail);
  });

  it('writes a whole HTTP/1.1 answer: status line, problem+json with the request id, closing the connection', () => {
    const raw = parserErrorResponse(parserErrorToAppError('HPE_HEADER_OVERFLOW'), 'trace-1');
    const [head, body] = raw.split('\r\n\r\n');
    const lines = head.split('\r\n');
    expect(lines[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Content-Type: application/problem+json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'X-Request-Id: trace-1',
        'X-Content-Type-Options: nosniff',
        'Connection: close',
      ]),
    );
    expect(JSON.parse(body)).toEqual({
      type: 'https://errors.sales-customization/headers-too-large',
      title: 'Request header fields too large',
      status: 431,
      detail: 'The request line and headers exceed 16 KiB',
      code: 'HEADERS_TOO_LARGE',
      instance: 'trace-1',
    });
  });
});
