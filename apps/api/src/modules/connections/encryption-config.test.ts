import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_ENCRYPTION_KEYS } from '@codetrack/db';
import { loadApiConfig } from '../../config.ts';

const production = { NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(40) };

describe('ENCRYPTION_KEYS', () => {
  it('is required in production', () => {
    expect(() => loadApiConfig(production)).toThrow(/ENCRYPTION_KEYS: is required in production/);
  });

  it('falls back to the public development key outside production', () => {
    const config = loadApiConfig({ NODE_ENV: 'development' });
    expect(config.encryptionKeys.current.id).toBe('dev');
    expect(`dev:${config.encryptionKeys.current.key.toString('base64')}`).toBe(DEVELOPMENT_ENCRYPTION_KEYS);
  });

  it('encrypts with the first key and keeps the others for decryption', () => {
    const config = loadApiConfig({ ...production, ENCRYPTION_KEYS: `k2:${randomBytes(32).toString('base64')},k1:${randomBytes(32).toString('base64')}` });
    expect(config.encryptionKeys.current.id).toBe('k2');
    expect([...config.encryptionKeys.byId.keys()]).toEqual(['k2', 'k1']);
  });

  it('refuses a malformed setting without printing the key', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => loadApiConfig({ ...production, ENCRYPTION_KEYS: `k1:${short}` })).toThrow(/ENCRYPTION_KEYS: key "k1" must be 32 random bytes/);
    expect(() => loadApiConfig({ ...production, ENCRYPTION_KEYS: `k1:${short}` })).not.toThrow(short);
  });
});
