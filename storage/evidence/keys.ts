import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSigningKeyPem, keyringFromPems, type EvidenceKeyring } from './signing.ts';

/** What the keyring is built from: the `evidence` part of the config and the run folder. */
export interface EvidenceKeyConfig {
  runDir: string;
  evidence: { signingKeyPem: string | undefined; verifyKeyPems: readonly string[] };
}

/** Where the per-installation key lives when EVIDENCE_SIGNING_KEY is unset. */
export const generatedKeyPath = (runDir: string): string => join(resolve(runDir), 'keys', 'evidence-signing.pem');

/**
 * The process's evidence keyring: EVIDENCE_SIGNING_KEY when set; else the per-installation key in
 * `<runDir>/keys/evidence-signing.pem`, generated on first use (mode 0600; `onGenerated` is told, so
 * the caller logs it). Processes starting together agree on one key: the file appears atomically
 * (written aside, then hard-linked into place; the loser reads the winner's). EVIDENCE_VERIFY_KEYS
 * are added as public keys.
 */
export function resolveEvidenceKeyring(config: EvidenceKeyConfig, onGenerated?: (path: string, keyId: string) => void): EvidenceKeyring {
  let pem = config.evidence.signingKeyPem;
  if (!pem) {
    const path = generatedKeyPath(config.runDir);
    pem = readIfExists(path);
    if (!pem) {
      mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
      const aside = `${path}.${process.pid}.${Date.now()}.tmp`;
      writeFileSync(aside, generateSigningKeyPem(), { mode: 0o600 });
      let created = false;
      try {
        linkSync(aside, path);
        created = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        rmSync(aside, { force: true });
      }
      pem = readFileSync(path, 'utf8');
      if (created) onGenerated?.(path, keyringFromPems({ signingKeyPem: pem }).signer!.keyId);
    }
  }
  return keyringFromPems({ signingKeyPem: pem, verifyKeyPems: config.evidence.verifyKeyPems });
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
