import { describe, expect, it } from 'vitest';
import { jsonResponse, mockApi } from '../testing/mock-api.ts';
import { ApiError, apiRequest } from './api-client.ts';
import { describeApiError } from './describe-api-error.ts';

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

  it('sends no content-type for a request without a body', async () => {
    const fetchMock = mockApi({ 'POST /api/auth/logout': () => new Response(null, { status: 204 }) });

    await expect(apiRequest('/api/auth/logout', { method: 'POST', csrfToken: 't' })).resolves.toBeUndefined();

    const headers = new Headers(fetchMock.mock.calls[0]?.[1]?.headers);
    expect(headers.get('content-type')).toBeNull();
    expect(headers.get('x-csrf-token')).toBe('t');
  });
});

describe('describeApiError', () => {
  it('falls back to the API message for codes it does not know', () => {
    const error = new ApiError({ status: 409, code: 'email_taken', message: 'This email is already registered.' });
    expect(describeApiError(error)).toBe('This email is already registered.');
  });

  it('says "a minute" when the API gives no Retry-After', () => {
    const error = new ApiError({ status: 429, code: 'rate_limited', message: 'Too many' });
    expect(describeApiError(error)).toBe('Too many attempts. Please wait a minute and try again.');
  });
});
