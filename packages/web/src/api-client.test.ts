import { describe, expect, it, onTestFinished } from 'vitest';
import { ApiError, apiRequest, setApiBaseUrl } from './api-client.ts';
import { createErrorDescriber } from './describe-api-error.ts';
import { jsonResponse, mockApi } from './testing/mock-api.ts';

const describeApiError = createErrorDescriber({ invalid_credentials: 'That email and password do not match an account.' });

async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('apiRequest', () => {
  it('parses the error body into code, message, status and details', async () => {
    mockApi({
      'POST /api/things': () =>
        jsonResponse(400, {
          error: { code: 'validation_failed', message: 'Bad', details: [{ path: 'name', message: 'Required' }] },
        }),
    });

    const error = await failureOf(apiRequest('/api/things', { method: 'POST', body: {} }));

    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Bad' });
    expect(error.fieldMessage('name')).toBe('Required');
  });

  it('turns a non-JSON error page into an unexpected_response error', async () => {
    mockApi({ 'GET /api/me': () => new Response('<html>Bad gateway</html>', { status: 502 }) });

    const error = await failureOf(apiRequest('/api/me'));

    expect(error).toMatchObject({ status: 502, code: 'unexpected_response' });
    expect(describeApiError(error)).toBe('Something went wrong on our side. Please try again in a moment.');
  });

  it('turns a failed connection into a network_error', async () => {
    mockApi({ 'GET /api/me': () => Promise.reject(new TypeError('Failed to fetch')) });

    const error = await failureOf(apiRequest('/api/me'));

    expect(error).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('sends requests to the configured API origin, with the session cookie', async () => {
    onTestFinished(() => setApiBaseUrl(''));
    const fetchMock = mockApi({ 'GET /api/me': () => jsonResponse(200, { ok: true }) });
    setApiBaseUrl('https://api.example.com');

    await apiRequest('/api/me');

    expect(fetchMock.mock.calls[0]?.[0]).toBe('https://api.example.com/api/me');
    expect(fetchMock.mock.calls[0]?.[1]?.credentials).toBe('include');
  });

  it('sends no content-type for a request without a body', async () => {
    const fetchMock = mockApi({ 'POST /api/auth/logout': () => new Response(null, { status: 204 }) });

    await expect(apiRequest('/api/auth/logout', { method: 'POST', csrfToken: 't' })).resolves.toBeUndefined();

    const headers = new Headers(fetchMock.mock.calls[0]?.[1]?.headers);
    expect(headers.get('content-type')).toBeNull();
    expect(headers.get('x-csrf-token')).toBe('t');
  });
});

describe('createErrorDescriber', () => {
  it("prefers the app's sentence for a code, and words the codes every app shares", () => {
    expect(describeApiError(new ApiError({ status: 401, code: 'invalid_credentials', message: 'The email or password is not correct' }))).toBe(
      'That email and password do not match an account.',
    );
    expect(describeApiError(new ApiError({ status: 429, code: 'rate_limited', message: 'Too many', retryAfterSeconds: 120 }))).toBe(
      'Too many attempts. Please wait 2 minutes and try again.',
    );
    expect(describeApiError(new ApiError({ status: 403, code: 'forbidden', message: 'Needs the admin role' }))).toBe('You do not have permission to do that.');
    expect(describeApiError(new TypeError('x is undefined'))).toBe('Something unexpected went wrong. Please try again.');
  });

  it('does not mistake inherited object keys for messages', () => {
    const error = new ApiError({ status: 409, code: 'constructor', message: 'A conflict.' });
    expect(describeApiError(error)).toBe('A conflict.');
  });

  it('falls back to the API message for codes it does not know', () => {
    const error = new ApiError({ status: 409, code: 'email_taken', message: 'This email is already registered.' });
    expect(describeApiError(error)).toBe('This email is already registered.');
  });

  it('says "a minute" when the API gives no Retry-After', () => {
    const error = new ApiError({ status: 429, code: 'rate_limited', message: 'Too many' });
    expect(describeApiError(error)).toBe('Too many attempts. Please wait a minute and try again.');
  });
});
