/**
 * Secrets at rest: AES-256-GCM sealing of small values (EPGU session cookies, anything an operator
 * must not read from a database dump). The key comes from config (`ENCRYPTION_KEY`, 32 bytes as
 * 64 hex chars or base64); the sealed form is one string `v1.<iv>.<tag>.<ciphertext>` (base64url),
 * so it fits any string field and says which scheme made it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/** Thrown when a key is malformed or a sealed value does not open (wrong key, tampered). */
export class CryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CryptoError';
  }
}

/** Parses a 32-byte key written as 64 hex characters or base64 (44 chars). */
export function parseEncryptionKey(text: string): Buffer {
  const s = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(s) ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64');
  if (key.length !== 32) throw new CryptoError('ENCRYPTION_KEY must be 32 bytes: 64 hex characters or base64');
  return key;
}

/** Seals `plain` with AES-256-GCM; `aad` (e.g. the account id) binds the value to its owner. */
export function seal(key: Buffer, plain: string | Buffer, aad = ''): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** Opens a value made by {@link seal} with the same key and `aad`; throws CryptoError otherwise. */
export function unseal(key: Buffer, sealed: string, aad = ''): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new CryptoError('not a sealed value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[1]!, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(parts[2]!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]);
  } catch {
    // GCM says only "unable to authenticate": the key or the owner is wrong, or the value was changed.
    throw new CryptoError('sealed value does not open (wrong key, wrong owner or tampered)');
  }
}
