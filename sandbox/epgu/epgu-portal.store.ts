/**
 * The state of the EPGU replica: ESIA logins (password, then an SMS or TOTP code), portal
 * sessions, applications to FSSP with their life in sandbox time (Отправлено → Зарегистрировано
 * on the next working day → Рассмотрено 1–12 working days later, so some answers are late), and
 * the ГЭПС feed items that carry the answers. In memory; one per sandbox.
 */
import { randomBytes } from 'node:crypto';
import { loadProductionCalendar, type ProductionCalendar } from '../../core/calendar/index.ts';
import type { EpguRequestKind } from '../../core/epgu-kinds.ts';
import { verifyTotp } from '../../core/totp.ts';
import { createPrng, deriveSeed } from '../data/prng.ts';
import type { SandboxWorld } from '../data/world.types.ts';
import { FsspBank, type SandboxProceeding } from '../fssp/fssp.data.ts';
import { answerKindOf, answerSpecOf, renderAnswerPdf } from './answer-document.ts';
import type { FsspDocumentKind } from './documents/fssp-document.types.ts';
import { renderFsspXml, XML_KINDS } from './documents/fssp-document.xml.ts';
import { SANDBOX_EPGU_ACCOUNTS, type SandboxEpguAccount } from './epgu-accounts.ts';
import type { EpguClock } from './epgu-clock.ts';

const MSK_MS = 3 * 3600_000;
const DAY_MS = 86_400_000;
/** An SMS code / a half-done login is worth this long (real time). */
const FLOW_TTL_MS = 15 * 60_000;

/** One application as the portal keeps it. */
export interface SandboxApplication {
  number: string;
  login: string;
  ipNumber: string;
  kind: EpguRequestKind;
  text: string;
  /** Sandbox ms. */
  sentAt: number;
  registeredAt: number;
  decidedAt: number;
  proceeding: SandboxProceeding | null;
  answerKind: FsspDocumentKind;
  scanned: boolean;
  /** The answer comes as FSSP XML with a PDF print form (two attachments: `<attachmentId>-xml`, then the PDF). */
  xml: boolean;
  seed: number;
  feedId: string;
  attachmentId: string;
}

/** The portal's status words, in order. */
export const PORTAL_STATUSES = ['Отправлено', 'Зарегистрировано', 'Рассмотрено'] as const;

/** A date as the feed prints it: «2025-03-04T12:00:00.000+0300». */
export function feedDate(ms: number): string {
  return new Date(ms + MSK_MS).toISOString().replace('Z', '+0300');
}

/** Parses a feed date (any offset) to ms; NaN when malformed. */
export function parseFeedDate(text: string): number {
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

const mskDate = (ms: number) => new Date(ms + MSK_MS).toISOString().slice(0, 10);
const atMsk = (isoDate: string, hour: number) => Date.parse(`${isoDate}T00:00:00Z`) + hour * 3600_000 - MSK_MS;

export class EpguPortal {
  readonly bank: FsspBank;
  readonly calendar: ProductionCalendar;
  readonly applications: SandboxApplication[] = [];
  /** Last SMS code sent per login (the "SMS log"). */
  readonly sms = new Map<string, string>();
  private readonly flows = new Map<string, { login: string; code: string | null; expires: number }>();
  private readonly sessions = new Map<string, string>();
  private readonly drafts = new Map<string, { sid: string; ipNumber?: string; kind?: EpguRequestKind }>();
  private nextNumber: number;
  private smsSeq: number;

  constructor(private readonly world: SandboxWorld, readonly clock: EpguClock, private readonly realNow: () => number = Date.now) {
    this.bank = new FsspBank(world);
    this.calendar = loadProductionCalendar();
    const prng = createPrng(deriveSeed(world.seed, 'epgu-numbers'));
    this.nextNumber = 3_000_000_000 + prng.int(0, 900_000_000);
    this.smsSeq = deriveSeed(world.seed, 'epgu-sms');
  }

  account(login: string): SandboxEpguAccount | undefined {
    return SANDBOX_EPGU_ACCOUNTS.find((a) => a.login === login);
  }

  /** Step 1 of ESIA: login + password → a flow waiting for the second factor, or null. */
  startLogin(login: string, password: string): { flowId: string; factor: 'sms' | 'totp' } | null {
    const acc = this.account(login);
    if (!acc || acc.password !== password) return null;
    const flowId = randomBytes(12).toString('hex');
    let code: string | null = null;
    if (!acc.totpSecret) {
      this.smsSeq = (Math.imul(this.smsSeq, 1103515245) + 12345) >>> 0;
      code = String(100000 + (this.smsSeq % 900000));
      this.sms.set(login, code);
    }
    this.flows.set(flowId, { login, code, expires: this.realNow() + FLOW_TTL_MS });
    return { flowId, factor: acc.totpSecret ? 'totp' : 'sms' };
  }

  flowLogin(flowId: string | undefined): string | null {
    const flow = flowId ? this.flows.get(flowId) : undefined;
    return flow && flow.expires > this.realNow() ? flow.login : null;
  }

  /** Step 2: the code; a new portal session id on success. TOTP is checked against real time (an authenticator's clock). */
  finishLogin(flowId: string | undefined, code: string): string | null {
    const flow = flowId ? this.flows.get(flowId) : undefined;
    if (!flow || flow.expires <= this.realNow()) return null;
    const acc = this.account(flow.login)!;
    const ok = acc.totpSecret ? verifyTotp(acc.totpSecret, code.trim(), this.realNow()) : code.trim() === flow.code;
    if (!ok) return null;
    this.flows.delete(flowId!);
    const sid = randomBytes(18).toString('base64url');
    this.sessions.set(sid, flow.login);
    return sid;
  }

  sessionLogin(sid: string | undefined): string | null {
    return sid ? (this.sessions.get(sid) ?? null) : null;
  }

  logout(sid: string): void {
    this.sessions.delete(sid);
  }

  /** Ends every session (a test of "the stored session is dead"). */
  dropSessions(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    return n;
  }

  newDraft(sid: string, ipNumber: string): string {
    const id = randomBytes(8).toString('hex');
    this.drafts.set(id, { sid, ipNumber });
    return id;
  }

  draft(id: string | null, sid: string): { ipNumber?: string; kind?: EpguRequestKind } | null {
    const d = id ? this.drafts.get(id) : undefined;
    return d && d.sid === sid ? d : null;
  }

  setDraftKind(id: string, kind: EpguRequestKind): void {
    const d = this.drafts.get(id);
    if (d) d.kind = kind;
  }

  /** Submits an application (the draft is consumed): its life is fixed now, in sandbox time. */
  submit(draftId: string, login: string, text: string): SandboxApplication {
    const d = this.drafts.get(draftId)!;
    this.drafts.delete(draftId);
    const number = String(this.nextNumber++);
    const seed = deriveSeed(this.world.seed, `epgu-app-${number}`);
    const prng = createPrng(seed);
    const sentAt = this.clock.now();
    const regDay = this.calendar.addWorkingDays(mskDate(sentAt), 1);
    const registeredAt = atMsk(regDay, 10);
    const workingDays = prng.int(1, 12);
    const decidedAt = atMsk(this.calendar.addWorkingDays(regDay, workingDays), 12) + prng.int(0, 59) * 60_000;
    const proceeding = this.bank.byIpNumber(d.ipNumber!)[0] ?? null;
    const app: SandboxApplication = {
      number,
      login,
      ipNumber: d.ipNumber!,
      kind: d.kind!,
      text,
      sentAt,
      registeredAt,
      decidedAt,
      proceeding,
      answerKind: answerKindOf(d.kind!, proceeding, deriveSeed(seed, 'kind')),
      scanned: prng.chance(0.4),
      xml: false,
      seed,
      feedId: String(70_000_000 + this.applications.length * 7 + prng.int(0, 6)),
      attachmentId: `${prng.token(8)}-${number}`,
    };
    // Drawn from its own seed so the other choices of an application stay what they were.
    app.xml = !app.scanned && XML_KINDS.includes(app.answerKind) && createPrng(deriveSeed(seed, 'xml')).chance(0.6);
    this.applications.push(app);
    return app;
  }

  /** Statuses reached by now, with their sandbox times. */
  statusesOf(app: SandboxApplication, now = this.clock.now()): Array<{ status: (typeof PORTAL_STATUSES)[number]; at: number }> {
    const out: Array<{ status: (typeof PORTAL_STATUSES)[number]; at: number }> = [{ status: 'Отправлено', at: app.sentAt }];
    if (now >= app.registeredAt) out.push({ status: 'Зарегистрировано', at: app.registeredAt });
    if (now >= app.decidedAt) out.push({ status: 'Рассмотрено', at: app.decidedAt });
    return out;
  }

  applicationsOf(login: string): SandboxApplication[] {
    return this.applications.filter((a) => a.login === login);
  }

  /** Feed items (answers already delivered) of a login, newest first. */
  feedOf(login: string, now = this.clock.now()): SandboxApplication[] {
    return this.applicationsOf(login)
      .filter((a) => a.decidedAt <= now)
      .sort((a, b) => b.decidedAt - a.decidedAt || Number(b.feedId) - Number(a.feedId));
  }

  byFeedId(login: string, id: string): SandboxApplication | undefined {
    return this.applicationsOf(login).find((a) => a.feedId === id && a.decidedAt <= this.clock.now());
  }

  /** The application whose answer has this attachment id (its PDF, or its XML `<id>-xml`). */
  byAttachment(login: string, attachmentId: string): SandboxApplication | undefined {
    return this.applicationsOf(login).find((a) => (a.attachmentId === attachmentId || (a.xml && `${a.attachmentId}-xml` === attachmentId)) && a.decidedAt <= this.clock.now());
  }

  private readonly pdfs = new Map<string, Promise<Buffer>>();

  /** The facts printed on an application's answer. */
  private answerSpec(app: SandboxApplication) {
    const p = app.proceeding ?? this.bank.proceedings[app.seed % this.bank.proceedings.length]!;
    return answerSpecOf(this.world, app.proceeding ? p : { ...p, ipNumber: app.ipNumber }, app.answerKind, app.kind, mskDate(app.decidedAt), app.seed);
  }

  /** The answer PDF (rendered once, then cached); the print form when the answer also has an XML. */
  answerPdf(app: SandboxApplication): Promise<Buffer> {
    let pdf = this.pdfs.get(app.attachmentId);
    if (!pdf) {
      pdf = renderAnswerPdf(this.answerSpec(app), app.scanned, app.seed);
      pdf.catch(() => this.pdfs.delete(app.attachmentId));
      this.pdfs.set(app.attachmentId, pdf);
    }
    return pdf;
  }

  /** The answer as FSSP XML (`OIp`), for applications with `xml`. */
  answerXml(app: SandboxApplication): Buffer {
    return renderFsspXml(this.answerSpec(app));
  }

  /** Days of sandbox time, for the admin route. */
  static days(n: number): number {
    return n * DAY_MS;
  }
}
