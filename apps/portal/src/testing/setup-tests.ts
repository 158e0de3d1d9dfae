import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});


// Pages are lazy chunks: under a busy machine (the whole workspace's tests at once) the first
// render takes longer than Testing Library's default of one second.
configure({ asyncUtilTimeout: 5000 });
