import { describe, expect, it } from 'vitest';
import { ApiError, apiRequest } from './api-client.ts';
import { createQueryClient } from './query-client.ts';
import { endSession, fetchSessionFrom, sessionQueryKey, storeSession } from './session.ts';
import { jsonResponse, mockApi } from './testing/mock-api.ts';

type Me = { id: string; csrfToken: string };

describe('session', () => {
  it('sends the CSRF token of the stored session with unsafe requests, and none once it ended', async () => {
    const fetchMock = mockApi({
      'POST /api/things': () => jsonResponse(201, {}),
      'POST /api/logout': () => jsonResponse(401, { error: { code: 'unauthorized', message: 'Sign in first' } }),
    });
    const queryClient = createQueryClient();
    storeSession<Me>(queryClient, { id: 'usr_1', csrfToken: 'csrf-1' });

    await apiRequest('/api/things', { method: 'POST', body: {} });
    // A 401 on sign-out means the session had already ended: that is what was asked.
    await endSession(queryClient, '/api/logout');
    await apiRequest('/api/things', { method: 'POST', body: {} });

    const csrf = fetchMock.mock.calls.map(([, init]) => new Headers(init?.headers).get('x-csrf-token'));
    expect(csrf).toEqual(['csrf-1', 'csrf-1', null]);
    expect(queryClient.getQueryData(sessionQueryKey)).toBeNull();
  });

  it('reads nobody signed in from a 401, and passes other failures on', async () => {
    mockApi({ 'GET /api/me': () => jsonResponse(401, { error: { code: 'unauthorized', message: 'Sign in first' } }) });
    await expect(fetchSessionFrom<Me>('/api/me')).resolves.toBeNull();

    mockApi({ 'GET /api/me': () => jsonResponse(503, { error: { code: 'unavailable', message: 'Down' } }) });
    await expect(fetchSessionFrom<Me>('/api/me')).rejects.toBeInstanceOf(ApiError);
  });

  it('signs out when any other query answers 401, dropping what the session had cached', async () => {
    mockApi({ 'GET /api/orders': () => jsonResponse(401, { error: { code: 'unauthorized', message: 'Session expired' } }) });
    const queryClient = createQueryClient();
    storeSession<Me>(queryClient, { id: 'usr_1', csrfToken: 'csrf-1' });
    queryClient.setQueryData(['programs'], [{ id: 'prg_1' }]);

    await queryClient.fetchQuery({ queryKey: ['orders'], queryFn: () => apiRequest('/api/orders') }).catch(() => undefined);

    expect(queryClient.getQueryData(sessionQueryKey)).toBeNull();
    expect(queryClient.getQueryData(['programs'])).toBeUndefined();
  });
});
