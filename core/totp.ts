/**
 * TOTP (RFC 6238 over RFC 4226 HOTP): 30-second steps, HMAC-SHA-1, 6 digits — what ESIA and every
 * authenticator app use. Secrets are base32 (RFC 4648, as in otpauth:// URIs). node:crypto only.
 */
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Decodes base32 (case and spaces ignored, `=` padding optional). Throws on a foreign character. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new RangeError('TOTP secret is not base32');
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** Encodes bytes as base32 without padding. */
export function base32Encode(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** HOTP value of `counter` (RFC 4226 §5.3 dynamic truncation). */
export function hotp(secret: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(code).padStart(digits, '0');
}

/** The TOTP code at `timeMs` (default now) for a base32 secret; 30 s steps. */
export function totp(secretBase32: string, timeMs = Date.now(), stepSecs = 30, digits = 6): string {
  return hotp(base32Decode(secretBase32), Math.floor(timeMs / 1000 / stepSecs), digits);
}

/** Whether `code` is valid at `timeMs`, allowing `window` steps of clock drift either way. */
export function verifyTotp(secretBase32: string, code: string, timeMs = Date.now(), window = 1, stepSecs = 30): boolean {
  const secret = base32Decode(secretBase32);
  const step = Math.floor(timeMs / 1000 / stepSecs);
  for (let d = -window; d <= window; d++) if (hotp(secret, step + d, code.length || 6) === code) return true;
  return false;
}
