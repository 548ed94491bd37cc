import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Ed25519 signatures over evidence (issue 16 §2): a manifest, a seal record of a robot process's
 * log, and a process's log head. The private key is never in the database (EVIDENCE_SIGNING_KEY or
 * the per-installation key file); verify knows public keys by key id.
 *
 * Every signed message is plain text, one `name value` pair per line, each line ending in `\n`,
 * UTF-8, no trailing blank line. A value is written as is, except `\` → `\\`, newline → `\n`,
 * carriage return → `\r`; an absent value is `-`. The exact bytes are exported (`*.msg`) so that
 * `openssl pkeyutl -verify -pubin -inkey key.pem -rawin -in x.msg -sigfile x.sig` checks them.
 */

/** A key the store signs with: its id and the private key; `publicPem` is what export writes. */
export interface EvidenceSigner {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicPem: string;
}

/** The keys of one process: the signer (null = manifests are written unsigned) and every public key verify accepts, by id. */
export interface EvidenceKeyring {
  signer: EvidenceSigner | null;
  publicKeys: ReadonlyMap<string, KeyObject>;
}

/** Result of checking a signed document. */
export type SignatureStatus = 'ok' | 'unsigned' | 'key_unknown' | 'signature_invalid';

/** Key id = the first 16 hex characters of SHA-256 over the public key's SPKI DER (`openssl pkey -pubin -outform DER | sha256sum`). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** A keyring from PEM texts: the private signing key (optional) and further public keys (rotation). */
export function keyringFromPems(options: { signingKeyPem?: string; verifyKeyPems?: readonly string[] }): EvidenceKeyring {
  const publicKeys = new Map<string, KeyObject>();
  let signer: EvidenceSigner | null = null;
  if (options.signingKeyPem) {
    const privateKey = createPrivateKey(options.signingKeyPem);
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the evidence signing key must be Ed25519');
    const publicKey = createPublicKey(privateKey);
    signer = { keyId: keyIdOf(publicKey), privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    publicKeys.set(signer.keyId, publicKey);
  }
  for (const pem of options.verifyKeyPems ?? []) {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('evidence verify keys must be Ed25519');
    publicKeys.set(keyIdOf(key), key);
  }
  return { signer, publicKeys };
}

/** A fresh private Ed25519 key as PKCS#8 PEM (what `openssl genpkey -algorithm ed25519` writes). */
export function generateSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The SPKI PEM of a public key (what export writes under keys/). */
export const publicPemOf = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();

const esc = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '-' : String(v).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/** `kind` on the first line, then `name value` lines, each ending in `\n`. */
export function signedText(kind: string, fields: ReadonlyArray<readonly [string, string | number | null | undefined]>): Buffer {
  return Buffer.from(`${kind}\n${fields.map(([k, v]) => `${k} ${esc(v)}\n`).join('')}`, 'utf8');
}

/** The signed bytes of a manifest: `konveyer-evidence-manifest/1` and its fields in this order. */
export function manifestMessage(m: { jobId: string; lookupId: string; itemCount: number; manifestHash: string; headHash: string | null; sealedAt: Date; keyId?: string | null }): Buffer {
  return signedText('konveyer-evidence-manifest/1', [
    ['jobId', m.jobId],
    ['lookupId', m.lookupId],
    ['itemCount', m.itemCount],
    ['manifestHash', m.manifestHash],
    ['headHash', m.headHash],
    ['sealedAt', m.sealedAt.toISOString()],
    ['keyId', m.keyId],
  ]);
}

/** Signs `message` with the keyring's signer: `{ keyId, signature }` (base64), or nulls when it has none. */
export function signMessage(keyring: EvidenceKeyring, message: Buffer): { keyId: string | null; signature: string | null } {
  if (!keyring.signer) return { keyId: null, signature: null };
  return { keyId: keyring.signer.keyId, signature: sign(null, message, keyring.signer.privateKey).toString('base64') };
}

/** Checks a stored signature against `message` (whose bytes already carry `keyId`). */
export function checkSignature(keyring: EvidenceKeyring, keyId: string | null | undefined, signature: string | null | undefined, message: Buffer): SignatureStatus {
  if (!keyId || !signature) return 'unsigned';
  const key = keyring.publicKeys.get(keyId);
  if (!key) return 'key_unknown';
  try {
    return verify(null, message, key, Buffer.from(signature, 'base64')) ? 'ok' : 'signature_invalid';
  } catch {
    return 'signature_invalid';
  }
}
