/**
 * The tracking replica on its own: its WSDL and schemas are well-formed XML naming the real
 * operations and namespaces, the limits of the specification hold (3 000 identifiers per ticket,
 * error 6 before the answer is ready, 17 for an unknown ticket), and the daily limit per login answers
 * a fault. Expected values are the specification's (tracking.pochta.ru/specification).
 */
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../data/index.ts';
import { FaultBoard } from '../sandbox-state.ts';
import { createPostTrackingSite } from './post-tracking.site.ts';
import { FC_WSDL, FC_XSD_SERVER, FC_XSD_TYPES, RTM34_WSDL, RTM34_XSD_DATA, RTM34_XSD_OPS } from './post-tracking.wsdl.ts';

const world = generateWorld({ seed: 3 });
let clock = Date.parse('2026-12-01T10:00:00Z');
const site = createPostTrackingSite({ ticketReadyMs: 60_000, dailyLimit: 4 })({ world, faults: new FaultBoard(), now: () => clock });
const post = (path: string, xml: string) => site.handle({ method: 'POST', vhost: 'tracking.russianpost.ru', path, rawQuery: '', headers: {}, body: Buffer.from(xml) });
const ticketRequest = (barcodes: string[], login = 'konveyer-demo', password = 'demo-password') =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pos="http://fclient.russianpost.org/postserver" xmlns:fcl="http://fclient.russianpost.org"><soapenv:Body><pos:ticketRequest><request>${barcodes.map((b) => `<fcl:Item Barcode="${b}"/>`).join('')}</request><login>${login}</login><password>${password}</password></pos:ticketRequest></soapenv:Body></soapenv:Envelope>`;
const answerRequest = (ticket: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pos="http://fclient.russianpost.org/postserver"><soapenv:Body><pos:answerByTicketRequest><ticket>${ticket}</ticket><login>konveyer-demo</login><password>demo-password</password></pos:answerByTicketRequest></soapenv:Body></soapenv:Envelope>`;

describe('tracking replica', () => {
  it('serves well-formed WSDL and schemas with the real names', () => {
    for (const doc of [RTM34_WSDL, RTM34_XSD_DATA, RTM34_XSD_OPS, FC_WSDL, FC_XSD_SERVER, FC_XSD_TYPES]) expect(XMLValidator.validate(doc)).toBe(true);
    expect(RTM34_WSDL).toMatch(/name="OperationHistory12"[\s\S]*soap12:address location="https:\/\/tracking\.russianpost\.ru\/rtm34"/);
    expect(RTM34_WSDL).toMatch(/AuthorizationFault[\s\S]*OperationHistoryFault/);
    expect(FC_WSDL).toMatch(/portType name="FederalClient"[\s\S]*getTicket[\s\S]*getResponseByTicket[\s\S]*soap:address location="https:\/\/tracking\.russianpost\.ru\/fc"/);
  });

  it('ticket limits: more than 3 000 identifiers → 18; a bad login → 3; not ready → 6; unknown ticket → 17; the daily limit → a fault', async () => {
    const big = await post('/fc', ticketRequest(Array.from({ length: 3001 }, (_, i) => `1${String(i).padStart(13, '0')}`)));
    expect(big.body.toString()).toContain('ErrorTypeID="18"');
    const badLogin = await post('/fc', ticketRequest(['14102192069353'], 'konveyer-demo', 'wrong'));
    expect(badLogin.body.toString()).toContain('ErrorTypeID="3"');
    const issued = (await post('/fc', ticketRequest(['14102192069353']))).body.toString();
    const ticket = /<value>([^<]+)<\/value>/.exec(issued)![1]!;
    // «YYYYMMDDHHmmsslllNAME»: Moscow time of issue and the login in upper case.
    expect(ticket).toBe('20261201130000000KONVEYER-DEMO');
    expect((await post('/fc', answerRequest(ticket))).body.toString()).toContain('ErrorTypeID="6"');
    expect((await post('/fc', answerRequest('19990101000000000NOBODY'))).body.toString()).toContain('ErrorTypeID="17"');
    // Counted for the login: the 3 001, the ticket, «not ready», the unknown ticket — the limit of 4 is spent.
    const limited = await post('/fc', answerRequest(ticket));
    expect(limited.status).toBe(500);
    expect(limited.body.toString()).toContain('Превышен суточный лимит запросов');
    // The next Moscow day the count starts again; the answer (ready a minute after the ticket, kept 32 h) is there.
    clock += 86_400_000;
    const next = (await post('/fc', answerRequest(ticket))).body.toString();
    expect(next).toMatch(/<ns3:Item Barcode="14102192069353"><ns3:Error ErrorTypeID="12" ErrorName="Сообщение не найдено"\/><\/ns3:Item>/);
  });
});
