/**
 * The sandbox's ESIA accounts. Fixed, public test credentials (a sandbox has nothing to hide):
 * `demo-totp` asks a TOTP code (RFC 6238) for its secret, the others an SMS code that the sandbox
 * "sends" to its log and to `GET /__sandbox/epgu/sms/<login>`.
 */
export interface SandboxEpguAccount {
  login: string;
  password: string;
  /** base32; null = the second factor is an SMS code. */
  totpSecret: string | null;
  /** Shown in the portal header («Иванов И. И.» — here an organisation's clerk). */
  displayName: string;
  phoneMasked: string;
}

export const SANDBOX_EPGU_ACCOUNTS: readonly SandboxEpguAccount[] = [
  { login: 'demo-totp@konveyer.test', password: 'Sandbox-Totp-1', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', displayName: 'Взыскатель ТОТП', phoneMasked: '+7(999)***-**-01' },
  { login: 'demo-sms@konveyer.test', password: 'Sandbox-Sms-1', totpSecret: null, displayName: 'Взыскатель СМС', phoneMasked: '+7(999)***-**-02' },
  { login: 'demo-sms2@konveyer.test', password: 'Sandbox-Sms-2', totpSecret: null, displayName: 'Взыскатель СМС-2', phoneMasked: '+7(999)***-**-03' },
];

/** `EPGU_ACCOUNTS` JSON for the farm's config that logs in to the sandbox accounts (ids `totp`, `sms`, `sms2`). */
export function sandboxEpguAccountsEnv(): string {
  const [t, s, s2] = SANDBOX_EPGU_ACCOUNTS;
  return JSON.stringify([
    { id: 'totp', login: t!.login, password: t!.password, totpSecret: t!.totpSecret },
    { id: 'sms', login: s!.login, password: s!.password },
    { id: 'sms2', login: s2!.login, password: s2!.password },
  ]);
}
