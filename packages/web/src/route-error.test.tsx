import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './api-client.ts';
import { RouteError } from './route-error.tsx';

function renderFailingRoute(error: unknown) {
  const router = createMemoryRouter([
    {
      path: '/',
      loader: () => {
        throw error;
      },
      element: <p>never shown</p>,
      hydrateFallbackElement: <p>Loading</p>,
      errorElement: <RouteError describeError={(e) => `In our words: ${(e as ApiError).code}`} />,
    },
  ]);
  render(
    <MantineProvider>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
}

describe('RouteError', () => {
  it("says what went wrong with an API call in the app's words, with a way to reload", async () => {
    renderFailingRoute(new ApiError({ status: 503, code: 'unavailable', message: 'Down' }));

    expect((await screen.findByRole('alert')).textContent).toContain('In our words: unavailable');
    expect(screen.getByRole('button', { name: 'Reload' })).toBeTruthy();
  });

  it('shows a plain sentence for a crash, and leaves the details in the console', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    renderFailingRoute(new TypeError('chunk failed to load'));

    expect((await screen.findByRole('alert')).textContent).toContain('This page could not be shown. Reloading usually fixes it.');
    expect(consoleError).toHaveBeenCalledWith(expect.objectContaining({ message: 'chunk failed to load' }));
  });
});
