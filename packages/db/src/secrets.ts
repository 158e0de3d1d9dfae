import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from './client.ts';

/**
 * Platform credentials and webhook secrets at rest: AES-256-GCM from node:crypto, keyed by
 * `ENCRYPTION_KEYS` (`keyId:base64-32-bytes`, comma-separated). The first key encrypts; any listed
 * key decrypts, chosen by the key id stored on the row, so keys rotate by putting a new key first
 * and re-encrypting rows at leisure (`reencryptConnection`).
 *
 * Ciphertext: `v1.<iv>.<tag>.<ciphertext>` (base64url). The additional authenticated data binds a
 * ciphertext to its connection id and column, so it cannot be copied to another row or field.
 */

export type EncryptionKey = { id: string; key: Buffer };
export type EncryptionKeys = { current: EncryptionKey; byId: ReadonlyMap<string, Buffer> };
export type SealedSecret = { keyId: string; ciphertext: string };

/**
 * Development and test only: a fixed, public key so local data survives restarts and the API and
 * worker agree without setup. Both configs refuse to start in production without ENCRYPTION_KEYS.
 */
export const DEVELOPMENT_ENCRYPTION_KEYS = `dev:${Buffer.from('codetrack-dev-key-not-for-prod!!').toString('base64')}`;

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;

/** A stored secret that cannot be decrypted: unknown key id, tampered, moved or malformed. */
export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

/** Parses `keyId:base64,keyId:base64`; errors name the entry, never the key material. */
export function parseEncryptionKeys(value: string): EncryptionKeys {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('must list at least one key as keyId:base64-32-bytes');
  const byId = new Map<string, Buffer>();
  const keys = entries.map((entry, index) => {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    const material = separator > 0 ? entry.slice(separator + 1) : '';
    if (!KEY_ID.test(id)) throw new Error(`entry ${index + 1} needs a key id of letters, digits, _ or - before the colon (keyId:base64-32-bytes)`);
    // Node decodes both base64 alphabets; the pattern keeps it from skipping stray characters.
    const key = BASE64.test(material) ? Buffer.from(material, 'base64') : Buffer.alloc(0);
    if (key.length !== KEY_BYTES) throw new Error(`key "${id}" must be 32 random bytes in base64 (openssl rand -base64 32)`);
    if (byId.has(id)) throw new Error(`key id "${id}" is listed twice`);
    byId.set(id, key);
    return { id, key };
  });
  return { current: keys[0]!, byId };
}

/** ENCRYPTION_KEYS as a config setting: parsed once at start, with a readable error. */
export const EncryptionKeysSetting = z.string().transform((value, ctx) => {
  try {
    return parseEncryptionKeys(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** Encrypts with the current key; `aad` must be given again to decrypt. */
export function encryptSecret(keys: EncryptionKeys, plaintext: string, aad: string): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')];
  return { keyId: keys.current.id, ciphertext: parts.join('.') };
}

/** Decrypts with the key the secret names; throws SecretDecryptionError on any mismatch. */
export function decryptSecret(keys: EncryptionKeys, sealed: SealedSecret, aad: string): string {
  const key = keys.byId.get(sealed.keyId);
  if (!key) throw new SecretDecryptionError(`Encryption key "${sealed.keyId}" is not configured; add it to ENCRYPTION_KEYS`);
  const [version, iv, tag, ciphertext, ...rest] = sealed.ciphertext.split('.');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
    throw new SecretDecryptionError('The stored secret is not in the v1 format');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // GCM reports tampering, a wrong key and a wrong AAD alike; none of them is worth more detail.
    throw new SecretDecryptionError('The stored secret failed authentication (tampered, moved to another row, or wrong key)');
  }
}

/** The encrypted columns of a Connection row. */
export type ConnectionSecretColumns = {
  credentialsEncrypted: string;
  webhookSecretEncrypted: string;
  encryptionKeyId: string;
};

type StoredConnection = ConnectionSecretColumns & { id: string };

/** Stored in webhookSecretEncrypted while the merchant has not entered a webhook secret yet. */
const NO_WEBHOOK_SECRET = '';

const credentialsAad = (connectionId: string) => `connection:${connectionId}:credentials`;
const webhookSecretAad = (connectionId: string) => `connection:${connectionId}:webhook_secret`;

/** A fresh id in the database's own format, needed before insert because it is part of the AAD. */
export function generateConnectionId(): string {
  return `con_${randomUUID().replaceAll('-', '')}`;
}

/** Encrypts a connection's credentials (a JSON object of strings) and webhook secret with the current key. */
export function encryptConnectionSecrets(
  keys: EncryptionKeys,
  connectionId: string,
  secrets: { credentials: Record<string, string>; webhookSecret: string | null },
): ConnectionSecretColumns {
  const credentials = encryptSecret(keys, JSON.stringify(secrets.credentials), credentialsAad(connectionId));
  const webhookSecret = secrets.webhookSecret ? encryptSecret(keys, secrets.webhookSecret, webhookSecretAad(connectionId)).ciphertext : NO_WEBHOOK_SECRET;
  return { credentialsEncrypted: credentials.ciphertext, webhookSecretEncrypted: webhookSecret, encryptionKeyId: credentials.keyId };
}

/** The platform credentials of a connection, as the adapter takes them. */
export function decryptConnectionCredentials(keys: EncryptionKeys, connection: StoredConnection): Record<string, string> {
  const json = decryptSecret(keys, { keyId: connection.encryptionKeyId, ciphertext: connection.credentialsEncrypted }, credentialsAad(connection.id));
  return JSON.parse(json) as Record<string, string>;
}

/** The webhook signing secret, or null while the merchant has not entered one (reject every delivery). */
export function decryptWebhookSecret(keys: EncryptionKeys, connection: StoredConnection): string | null {
  if (connection.webhookSecretEncrypted === NO_WEBHOOK_SECRET) return null;
  return decryptSecret(keys, { keyId: connection.encryptionKeyId, ciphertext: connection.webhookSecretEncrypted }, webhookSecretAad(connection.id));
}

/** What `createAdapter` from @codetrack/integrations takes, so the worker builds adapters without the API. */
export function decryptConnectionTarget<P extends string>(
  keys: EncryptionKeys,
  connection: StoredConnection & { platform: P; apiBaseUrl: string | null },
): { platform: P; apiBaseUrl: string | null; credentials: Record<string, string> } {
  return { platform: connection.platform, apiBaseUrl: connection.apiBaseUrl, credentials: decryptConnectionCredentials(keys, connection) };
}

/** Whether a webhook secret is stored, without decrypting it. */
export function hasWebhookSecret(connection: Pick<StoredConnection, 'webhookSecretEncrypted'>): boolean {
  return connection.webhookSecretEncrypted !== NO_WEBHOOK_SECRET;
}

/** The row's secrets re-encrypted with the current key, or null when it already uses it. */
export function reencryptConnectionSecrets(keys: EncryptionKeys, connection: StoredConnection): ConnectionSecretColumns | null {
  if (connection.encryptionKeyId === keys.current.id) return null;
  return encryptConnectionSecrets(keys, connection.id, {
    credentials: decryptConnectionCredentials(keys, connection),
    webhookSecret: decryptWebhookSecret(keys, connection),
  });
}

/**
 * Moves one connection to the current key. The update only applies if the row still holds the
 * ciphertext we read, so a concurrent credential change is never overwritten with older secrets.
 * Returns whether the row changed.
 */
export async function reencryptConnection(db: Pick<Db, 'connection'>, keys: EncryptionKeys, connectionId: string): Promise<boolean> {
  const connection = await db.connection.findUnique({ where: { id: connectionId } });
  if (!connection) return false;
  const columns = reencryptConnectionSecrets(keys, connection);
  if (!columns) return false;
  const { count } = await db.connection.updateMany({
    where: { id: connectionId, encryptionKeyId: connection.encryptionKeyId, credentialsEncrypted: connection.credentialsEncrypted },
    data: columns,
  });
  return count === 1;
}
