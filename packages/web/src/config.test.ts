import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('defaults to the same origin when no API base URL is set', () => {
    expect(parseConfig({})).toEqual({ apiBaseUrl: '' });
    expect(parseConfig({ VITE_API_BASE_URL: '' })).toEqual({ apiBaseUrl: '' });
  });

  it('accepts an absolute URL and drops the trailing slash', () => {
    expect(parseConfig({ VITE_API_BASE_URL: 'https://api.example.com/' })).toEqual({
      apiBaseUrl: 'https://api.example.com',
    });
  });

  it('rejects a value that is not an http(s) URL', () => {
    expect(() => parseConfig({ VITE_API_BASE_URL: 'api.example.com' })).toThrow(/VITE_API_BASE_URL/);
    expect(() => parseConfig({ VITE_API_BASE_URL: 'ftp://example.com' })).toThrow(/VITE_API_BASE_URL/);
  });
});
