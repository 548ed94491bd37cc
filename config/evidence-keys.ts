import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** PEM blocks in a text (a file may hold several public keys). */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

const isPemText = (v: string) => v.includes('-----BEGIN ');

/** The text of `value` if it is PEM, else the content of the file it names; errors name `name`, never the value. */
function pemOrFile(value: string, name: string): string {
  const v = value.trim();
  if (isPemText(v)) return v;
  try {
    return readFileSync(v, 'utf8');
  } catch (error) {
    throw new Error(`${name}: cannot read the key file "${v}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * `EVIDENCE_SIGNING_KEY`: a private Ed25519 key as PEM text or the path of a PEM file (PKCS#8,
 * `openssl genpkey -algorithm ed25519`). Returns the PEM text; throws an error naming `name` when it
 * is not a readable private Ed25519 key. Blank → undefined.
 */
export function readSigningKeyPem(value: string | undefined, name = 'EVIDENCE_SIGNING_KEY'): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = pemOrFile(value, name);
  let key;
  try {
    key = createPrivateKey(text);
  } catch {
    throw new Error(`${name}: not a private key in PEM (expected "-----BEGIN PRIVATE KEY-----", e.g. from \`openssl genpkey -algorithm ed25519\`)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${name}: the key is ${key.asymmetricKeyType ?? key.type}, an Ed25519 key is needed`);
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * `EVIDENCE_VERIFY_KEYS`: public keys manifests may be signed with (older keys after a rotation):
 * PEM text (one or more blocks), or a comma-separated list of PEM files and folders (every `*.pem`
 * in a folder). Private keys are accepted and reduced to their public half. Returns SPKI PEM texts;
 * throws an error naming `name` on a key that is not Ed25519 or a path that cannot be read.
 */
export function readVerifyKeyPems(value: string | undefined, name = 'EVIDENCE_VERIFY_KEYS'): string[] {
  if (value === undefined || value.trim() === '') return [];
  const texts: string[] = [];
  if (isPemText(value)) texts.push(value);
  else {
    for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
      let isDir = false;
      try {
        isDir = statSync(part).isDirectory();
      } catch (error) {
        throw new Error(`${name}: cannot read "${part}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      if (isDir) {
        for (const f of readdirSync(part).filter((f) => f.endsWith('.pem')).sort()) texts.push(pemOrFile(join(part, f), name));
      } else texts.push(pemOrFile(part, name));
    }
  }
  const out: string[] = [];
  for (const text of texts) {
    const blocks = text.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) throw new Error(`${name}: no PEM key found`);
    for (const block of blocks) {
      let key;
      try {
        key = block.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(block)) : createPublicKey(block);
      } catch {
        throw new Error(`${name}: a PEM block is not a key`);
      }
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${name}: a key is ${key.asymmetricKeyType}, Ed25519 keys are needed`);
      out.push(key.export({ type: 'spki', format: 'pem' }).toString());
    }
  }
  return out;
}
