/**
 * Where a parser read each field it returned (issue 19 §2): an element of the page, a rule it
 * applied, or an honest «not located». Field paths use the record's own shape: `caseNumber`,
 * `decision.date`, `parties[2].name`, `events[0].date`.
 */
import type { AnyNode, Element } from 'domhandler';

/** A field read off an element: a CSS path from `html` (`:nth-child` at every step) and the element's text. */
export interface ElementTrace {
  kind: 'element';
  /** e.g. `html > body:nth-child(2) > div:nth-child(3) > table:nth-child(1) > tbody:nth-child(1) > tr:nth-child(4) > td:nth-child(2)` */
  path: string;
  /** The element's text as the parser read it (whitespace normalised). */
  text: string;
  /** Character offsets of the element in the decoded page, when the DOM was parsed with locations. */
  span?: [number, number];
}

/** A field the parser filled by rule rather than read (a derived `effectiveAt`, a status from events). */
export interface RuleTrace {
  kind: 'rule';
  /** What the rule is, in words, with the function that applies it. */
  rule: string;
  /** Fields the rule read (paths of this trace). */
  from?: string[];
}

/** A field the parser returned (or left empty) whose place on the page it cannot name. */
export interface NotLocatedTrace {
  kind: 'not_located';
  reason: string;
}

export type FieldTrace = ElementTrace | RuleTrace | NotLocatedTrace;

/** Field path → where it came from. */
export type ParseTrace = Record<string, FieldTrace>;

/** Cheerio options under which element paths match what Chromium builds with JavaScript off. */
export const TRACE_LOAD_OPTIONS = { scriptingEnabled: false, sourceCodeLocationInfo: true } as const;

const isElement = (n: AnyNode | null | undefined): n is Element => !!n && (n.type === 'tag' || n.type === 'script' || n.type === 'style');

/**
 * The CSS path of an element from `html`, one `:nth-child(n)` per step (element siblings only, as
 * `:nth-child` counts them), so `document.querySelector(path)` finds the same element in a browser
 * that parsed the same bytes.
 */
export function elementPath(node: AnyNode): string {
  const steps: string[] = [];
  let el: AnyNode | null = node;
  while (isElement(el)) {
    const parent: AnyNode | null = el.parent;
    if (!isElement(parent)) {
      steps.unshift(el.name);
      break;
    }
    const siblings = parent.children.filter(isElement);
    steps.unshift(`${el.name}:nth-child(${siblings.indexOf(el) + 1})`);
    el = parent;
  }
  return steps.join(' > ');
}

/** Collects a parse's trace; parsers take one optionally and stay pure. */
export class TraceCollector {
  readonly trace: ParseTrace = {};

  /** `field` was read from `node` (a missing node = not located, with `reason`). */
  at(field: string, node: AnyNode | null | undefined, text: string | null | undefined, reason = 'the parser found no element for it'): void {
    if (!isElement(node)) {
      this.notLocated(field, reason);
      return;
    }
    const loc = (node as Element & { sourceCodeLocation?: { startOffset: number; endOffset: number } | null }).sourceCodeLocation;
    this.trace[field] = {
      kind: 'element',
      path: elementPath(node),
      text: (text ?? '').replace(/\s+/g, ' ').trim(),
      ...(loc ? { span: [loc.startOffset, loc.endOffset] as [number, number] } : {}),
    };
  }

  rule(field: string, rule: string, from?: string[]): void {
    this.trace[field] = { kind: 'rule', rule, ...(from?.length ? { from } : {}) };
  }

  notLocated(field: string, reason: string): void {
    this.trace[field] = { kind: 'not_located', reason };
  }
}
