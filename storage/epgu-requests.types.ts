/** The `epgu_requests` collection: applications to FSSP through Госуслуги and their statuses (issue 5). */

/** Where an `epgu_requests` document is: prepared → submitting (checkpoint before the click) → sent → registered → decided → answered. */
export type EpguRequestStatus = 'prepared' | 'submitting' | 'sent' | 'registered' | 'decided' | 'answered';

/** One change of a request's status, as the robot or the portal reported it. */
export interface EpguStatusEntry {
  at: Date;
  status: EpguRequestStatus;
  /** The portal's own wording («Зарегистрировано»), when it came from the portal. */
  portalStatus: string | null;
  source: 'robot' | 'portal' | 'inbox';
}

/** `epgu_requests` document: one application of a party to enforcement proceedings (229-ФЗ ст.64.1). */
export interface EpguRequestDoc {
  /** = the lookup id of the `epgu.request` job: a retry of the job finds its own request. */
  _id: string;
  schemaVersion: number;
  account: string;
  ipNumber: string;
  /** Request kind code (queues/epgu-request.payload.ts EPGU_REQUEST_KINDS). */
  kind: string;
  text: string;
  /** Put in the application text; finds the application in «мои заявления» before any retry. */
  clientRef: string;
  status: EpguRequestStatus;
  applicationNumber: string | null;
  portalStatus: string | null;
  history: EpguStatusEntry[];
  /** Set before the irreversible click; a retry that finds it set reconciles before submitting. */
  submitAttemptAt: Date | null;
  submittedAt: Date | null;
  registeredAt: Date | null;
  /** ISO date: 10 working days after registration (ст.64.1 ч.5); before registration, 3 + 10 after submission. */
  dueDate: string | null;
  closedAt: Date | null;
  answerDocumentIds: string[];
  evidenceId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The epgu_requests collection as robots and the CLI use it. */
export interface EpguRequestStore {
  get(id: string): Promise<EpguRequestDoc | null>;
  /** Creates the request of a lookup, or returns the existing one (idempotent by id). */
  ensure(init: { id: string; account: string; ipNumber: string; kind: string; text: string; clientRef: string }): Promise<EpguRequestDoc>;
  /** Records the checkpoint before the submit click. */
  markSubmitting(id: string, at: Date): Promise<void>;
  /** Records the application number (after the click or after a reconcile found it). */
  recordSubmitted(id: string, update: { applicationNumber: string; portalStatus: string | null; submittedAt: Date; dueDate: string | null; evidenceId: string | null }): Promise<EpguRequestDoc>;
  /** Applies a portal status (registered/decided) with its date; `dueDate` recomputed by the caller. */
  recordPortalStatus(id: string, update: { status: EpguRequestStatus; portalStatus: string; registeredAt?: Date | null; dueDate?: string | null; source: 'portal' | 'inbox' }): Promise<void>;
  /** Closes the request with an answer document. */
  recordAnswer(id: string, documentId: string, at: Date): Promise<void>;
  findByApplicationNumber(applicationNumber: string): Promise<EpguRequestDoc | null>;
  /** Open (not answered) requests of an account, oldest first; `ipNumber` narrows. */
  listOpen(filter?: { account?: string; ipNumber?: string }): Promise<EpguRequestDoc[]>;
  /** Not answered and due before `today` (ISO date). */
  listOverdue(today: string): Promise<EpguRequestDoc[]>;
}
