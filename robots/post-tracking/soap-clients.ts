/**
 * SOAP clients of the two tracking services, made by the `soap` package from the services' own
 * WSDL (requests are built from the schemas, not from string templates), speaking through the
 * farm's HTTP stack: the target allowlist and sandbox routing (TargetRouter), the host's politeness
 * and circuit breaker, and evidence — every SOAP answer is stored raw before it is read.
 *
 * The answers are read by the farm's own parser (parsers/post-tracking), the same one
 * `konveyer parse post-tracking` runs; the `soap` package's parse of them is not used, so a fault
 * or a broken answer is classified in one place.
 */
import * as soap from 'soap';
import { KonveyerError } from '../../core/errors.ts';
import type { EvidenceRecorder } from '../runtime/evidence-recorder.ts';
import type { HttpClient, HttpResponse } from '../runtime/http-client.ts';
import type { Politeness } from '../../runtime/politeness.ts';
import type { TargetRouter } from '../runtime/targets.ts';

export const TRACKING_HOST = 'tracking.russianpost.ru';
/** Single access (SOAP 1.2) and batch access (SOAP 1.1), as the specification gives them. */
export const RTM34_WSDL_URL = `https://${TRACKING_HOST}/rtm34?wsdl`;
export const FC_WSDL_URL = `https://${TRACKING_HOST}/fc?wsdl`;

/** One SOAP call's context: where its evidence goes, and the raw answer once it came. */
export interface SoapCall {
  evidence: EvidenceRecorder;
  step: string;
  /** Set by the transport: the raw answer and the id of its evidence. */
  response?: HttpResponse;
  evidenceId?: string;
  /** When the answer arrived (a record's `source.fetchedAt`). */
  receivedAt?: Date;
}

interface TransportDeps {
  router: TargetRouter;
  http: HttpClient;
  politeness: Politeness;
}

/** The `soap` package's HTTP client interface, implemented over the farm's HttpSession. */
class FarmSoapHttp {
  constructor(private readonly deps: TransportDeps) {}

  request(rurl: string, data: unknown, callback: (error: unknown, res?: unknown, body?: unknown) => unknown, exheaders?: Record<string, unknown>, exoptions?: Record<string, unknown>): Promise<unknown> {
    const call = exoptions?.konveyerCall as SoapCall | undefined;
    const done = (async () => {
      const target = new URL(rurl);
      // The WSDL names https://tracking.russianpost.ru/…; in sandbox mode the router maps it to the sandbox.
      const url = this.deps.router.urlFor(target.hostname, target.pathname + target.search);
      const headers: Record<string, string> = { accept: 'application/soap+xml, text/xml, */*' };
      for (const [k, v] of Object.entries(exheaders ?? {})) if (v !== undefined && k.toLowerCase() !== 'content-length') headers[k.toLowerCase()] = String(v);
      const session = this.deps.http.session();
      const res = await this.deps.politeness.run(
        target.hostname,
        () => session.request(url, data == null ? { method: 'GET', headers } : { method: 'POST', headers, body: String(data), acceptStatuses: [500] }),
        undefined,
        // A SOAP fault comes as HTTP 500 and is an answer, not a sick host.
        (r) => r.status > 500,
      );
      if (call) {
        call.response = res;
        call.receivedAt = new Date();
        // The request is not kept: it holds the account's password.
        const item = await call.evidence.record(call.step, 'http_response', { url: res.url, contentType: res.contentType, body: res.body, meta: { status: res.status, soap: true } });
        call.evidenceId = item._id;
      }
      return { status: res.status, headers: res.headers, data: res.body.toString('utf8') };
    })();
    done.then((r) => callback(null, r, (r as { data: string }).data), (error: unknown) => callback(error));
    return done;
  }
}

type SoapMethodAsync = (args: unknown, options?: unknown) => Promise<unknown>;

/** The two clients, made once per robot process (each fetches its WSDL and schemas on first use). */
export class TrackingSoapClients {
  private single: Promise<soap.Client> | null = null;
  private batch: Promise<soap.Client> | null = null;
  private readonly http: FarmSoapHttp;
  constructor(private readonly deps: TransportDeps) {
    this.http = new FarmSoapHttp(deps);
  }

  private client(wsdl: string, soap12: boolean): Promise<soap.Client> {
    const made = soap.createClientAsync(wsdl, { httpClient: this.http as never, forceSoap12Headers: soap12, disableCache: true, returnFault: true });
    return made;
  }

  /** rtm34: getOperationHistory. */
  private async rtm34(): Promise<soap.Client> {
    this.single ??= this.client(RTM34_WSDL_URL, true).catch((e) => {
      this.single = null;
      throw e;
    });
    return this.single;
  }

  /** fc: getTicket, getResponseByTicket. */
  private async fc(): Promise<soap.Client> {
    this.batch ??= this.client(FC_WSDL_URL, false).catch((e) => {
      this.batch = null;
      throw e;
    });
    return this.batch;
  }

  /** Calls `method` and gives back the raw answer (a fault is an answer too); transport errors are thrown as they are. */
  private async invoke(client: soap.Client, method: string, args: unknown, call: SoapCall): Promise<SoapCall & { response: HttpResponse; evidenceId: string }> {
    const fn = (client as unknown as Record<string, SoapMethodAsync>)[`${method}Async`];
    if (!fn) throw new KonveyerError(`the tracking WSDL has no operation ${method}`);
    try {
      await fn.call(client, args, { konveyerCall: call });
    } catch (error) {
      // The package rejects on a fault or an answer it cannot read; ours reads the raw answer.
      if (!call.response) throw error;
    }
    if (!call.response || !call.evidenceId) throw new KonveyerError(`no answer recorded for ${method}`);
    return call as SoapCall & { response: HttpResponse; evidenceId: string };
  }

  async getOperationHistory(barcode: string, account: { login: string; password: string }, call: SoapCall) {
    return this.invoke(await this.rtm34(), 'getOperationHistory', {
      OperationHistoryRequest: { Barcode: barcode, MessageType: 0, Language: 'RUS' },
      // The specification: the header's soapenv:mustUnderstand must be 1 (its example declares soapenv as the SOAP 1.1 namespace).
      AuthorizationHeader: { attributes: { 'xmlns:soapenv': 'http://schemas.xmlsoap.org/soap/envelope/', 'soapenv:mustUnderstand': '1' }, login: account.login, password: account.password },
    }, call);
  }

  async getTicket(barcodes: readonly string[], account: { login: string; password: string }, call: SoapCall) {
    return this.invoke(await this.fc(), 'getTicket', {
      request: { Item: barcodes.map((b) => ({ attributes: { Barcode: b } })) },
      login: account.login,
      password: account.password,
      language: 'RUS',
    }, call);
  }

  async getResponseByTicket(ticket: string, account: { login: string; password: string }, call: SoapCall) {
    return this.invoke(await this.fc(), 'getResponseByTicket', { ticket, login: account.login, password: account.password }, call);
  }
}
