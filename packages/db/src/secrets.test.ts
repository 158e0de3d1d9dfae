import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEVELOPMENT_ENCRYPTION_KEYS,
  SecretDecryptionError,
  decryptConnectionCredentials,
  decryptSecret,
  decryptWebhookSecret,
  encryptConnectionSecrets,
  encryptSecret,
  generateConnectionId,
  hasWebhookSecret,
  parseEncryptionKeys,
  reencryptConnectionSecrets,
} from './secrets.ts';

const key = () => randomBytes(32).toString('base64');
const oldKeys = parseEncryptionKeys(`k1:${key()}`);

/** Flips one bit of a base64url part (editing a character could touch only padding bits). */
function flipBit(part: string) {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString('base64url');
}

describe('parseEncryptionKeys', () => {
  it('uses the first key to encrypt and knows every listed key', () => {
    const keys = parseEncryptionKeys(` new:${key()} , old:${key()}`);
    expect(keys.current.id).toBe('new');
    expect([...keys.byId.keys()]).toEqual(['new', 'old']);
    expect(parseEncryptionKeys(DEVELOPMENT_ENCRYPTION_KEYS).current.id).toBe('dev');
  });

  it('accepts url-safe base64', () => {
    const material = randomBytes(32).toString('base64url');
    expect(parseEncryptionKeys(`k:${material}`).current.key.toString('base64url')).toBe(material);
  });

  it('rejects malformed settings without echoing the key material', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => parseEncryptionKeys('')).toThrow(/at least one key/);
    expect(() => parseEncryptionKeys(key())).toThrow(/key id/);
    expect(() => parseEncryptionKeys(`k:${short}`)).toThrow(/32 random bytes/);
    expect(() => parseEncryptionKeys(`k:${short}`)).not.toThrow(short);
    expect(() => parseEncryptionKeys('k:not base64 at all!')).toThrow(/32 random bytes/);
    expect(() => parseEncryptionKeys(`k:${key()},k:${key()}`)).toThrow(/listed twice/);
  });
});

describe('encryptSecret / decryptSecret', () => {
  it('round-trips and never stores the plaintext', () => {
    const sealed = encryptSecret(oldKeys, 'sk_test_supersecret', 'aad-1');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed.ciphertext).not.toContain('supersecret');
    expect(decryptSecret(oldKeys, sealed, 'aad-1')).toBe('sk_test_supersecret');
  });

  it('uses a fresh IV every time', () => {
    const a = encryptSecret(oldKeys, 'same', 'aad');
    const b = encryptSecret(oldKeys, 'same', 'aad');
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('fails for an unknown key id', () => {
    const sealed = encryptSecret(oldKeys, 'secret', 'aad');
    expect(() => decryptSecret(oldKeys, { ...sealed, keyId: 'k9' }, 'aad')).toThrow(/"k9" is not configured/);
  });

  it('fails when a different key is registered under the same id', () => {
    const sealed = encryptSecret(oldKeys, 'secret', 'aad');
    const impostor = parseEncryptionKeys(`k1:${key()}`);
    expect(() => decryptSecret(impostor, sealed, 'aad')).toThrow(SecretDecryptionError);
  });

  it('fails for a tampered ciphertext, tag or IV', () => {
    const sealed = encryptSecret(oldKeys, 'a secret long enough to tamper with', 'aad');
    const [version, iv, tag, ct] = sealed.ciphertext.split('.') as [string, string, string, string];
    const variants = [
      [version, iv, tag, flipBit(ct)],
      [version, iv, flipBit(tag), ct],
      [version, flipBit(iv), tag, ct],
    ];
    for (const parts of variants) {
      expect(() => decryptSecret(oldKeys, { keyId: 'k1', ciphertext: parts.join('.') }, 'aad')).toThrow(SecretDecryptionError);
    }
    expect(() => decryptSecret(oldKeys, { keyId: 'k1', ciphertext: `v2.${iv}.${tag}.${ct}` }, 'aad')).toThrow(/v1 format/);
    expect(() => decryptSecret(oldKeys, { keyId: 'k1', ciphertext: 'plaintext' }, 'aad')).toThrow(/v1 format/);
  });

  it('fails when the ciphertext is moved to another AAD (another row)', () => {
    const sealed = encryptSecret(oldKeys, 'secret', 'connection:con_a:credentials');
    expect(() => decryptSecret(oldKeys, sealed, 'connection:con_b:credentials')).toThrow(SecretDecryptionError);
  });
});

describe('connection secrets', () => {
  const credentials = { secretKey: 'sk_test_abc123' };

  it('round-trips credentials and the webhook secret of one row', () => {
    const id = generateConnectionId();
    expect(id).toMatch(/^con_[0-9a-f]{32}$/);
    const row = { id, ...encryptConnectionSecrets(oldKeys, id, { credentials, webhookSecret: 'whsec_xyz' }) };
    expect(row.encryptionKeyId).toBe('k1');
    expect(JSON.stringify(row)).not.toMatch(/sk_test_abc123|whsec_xyz/);
    expect(decryptConnectionCredentials(oldKeys, row)).toEqual(credentials);
    expect(decryptWebhookSecret(oldKeys, row)).toBe('whsec_xyz');
    expect(hasWebhookSecret(row)).toBe(true);
  });

  it('keeps "no webhook secret yet" apart from a secret', () => {
    const id = generateConnectionId();
    const row = { id, ...encryptConnectionSecrets(oldKeys, id, { credentials, webhookSecret: null }) };
    expect(hasWebhookSecret(row)).toBe(false);
    expect(decryptWebhookSecret(oldKeys, row)).toBeNull();
  });

  it('refuses credentials copied from another connection, or swapped between columns', () => {
    const a = generateConnectionId();
    const b = generateConnectionId();
    const rowA = { id: a, ...encryptConnectionSecrets(oldKeys, a, { credentials, webhookSecret: 'whsec_a' }) };
    expect(() => decryptConnectionCredentials(oldKeys, { ...rowA, id: b })).toThrow(SecretDecryptionError);
    const swapped = { ...rowA, credentialsEncrypted: rowA.webhookSecretEncrypted, webhookSecretEncrypted: rowA.credentialsEncrypted };
    expect(() => decryptConnectionCredentials(oldKeys, swapped)).toThrow(SecretDecryptionError);
    expect(() => decryptWebhookSecret(oldKeys, swapped)).toThrow(SecretDecryptionError);
  });

  it('rotates: old rows still decrypt after a new first key, and reencrypt moves them to it', () => {
    const id = generateConnectionId();
    const row = { id, ...encryptConnectionSecrets(oldKeys, id, { credentials, webhookSecret: 'whsec_xyz' }) };
    const rotated = parseEncryptionKeys(`k2:${key()},k1:${oldKeys.current.key.toString('base64')}`);
    expect(decryptConnectionCredentials(rotated, row)).toEqual(credentials);

    const moved = reencryptConnectionSecrets(rotated, row);
    expect(moved?.encryptionKeyId).toBe('k2');
    const movedRow = { id, ...moved! };
    expect(decryptConnectionCredentials(rotated, movedRow)).toEqual(credentials);
    expect(decryptWebhookSecret(rotated, movedRow)).toBe('whsec_xyz');
    expect(reencryptConnectionSecrets(rotated, movedRow)).toBeNull();

    // Once k1 is retired, only rows moved to k2 remain readable.
    const retired = parseEncryptionKeys(`k2:${rotated.current.key.toString('base64')}`);
    expect(decryptConnectionCredentials(retired, movedRow)).toEqual(credentials);
    expect(() => decryptConnectionCredentials(retired, row)).toThrow(/"k1" is not configured/);
  });
});
