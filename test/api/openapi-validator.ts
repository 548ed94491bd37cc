/**
 * Checks an answer of the API against the OpenAPI document (api/openapi.ts): its status must be
 * documented for the operation, its content type too, and its body must match that response's
 * schema — strict schemas refuse a field the document lacks and require the ones it lists.
 * For any API test: `const contract = await openApiContract(); contract.check('get', '/v1/lookups/{id}', 200, type, body)`.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { generateOpenApiDocument } from '../../api/openapi-document.ts';
import { loadConfig } from '../../config/index.ts';

type Obj = Record<string, any>;

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export interface OpenApiContract {
  doc: Obj;
  /**
   * Throws unless `body` is what the document says `method path` answers with `status`.
   * `path` is the document's template (`/v1/lookups/{id}`); `contentType` the answer's header.
   */
  check(method: string, path: string, status: number, contentType: string | null, body: unknown): void;
  /** The template of a concrete URL path (`/v1/lookups/abc` → `/v1/lookups/{id}`), or null. */
  templateOf(method: string, urlPath: string): string | null;
}

/** The document as a default config serves it, with a validator over its schemas. */
export async function openApiContract(): Promise<OpenApiContract> {
  const doc = (await generateOpenApiDocument(loadConfig({ LOG_LEVEL: 'silent' }))) as Obj;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema(doc, 'openapi.json');
  const compiled = new Map<string, ReturnType<Ajv2020['compile']>>();

  const templates = Object.keys(doc.paths as Obj).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  return {
    doc,
    templateOf(method, urlPath) {
      const hits = templates.filter(({ t, re }) => re.test(urlPath) && doc.paths[t][method.toLowerCase()]);
      // A literal segment beats a parameter (/v1/lookups/batch vs /v1/lookups/{id}).
      hits.sort((a, b) => (a.t.match(/\{/g)?.length ?? 0) - (b.t.match(/\{/g)?.length ?? 0));
      return hits[0]?.t ?? null;
    },
    check(method, path, status, contentType, body) {
      const m = method.toLowerCase();
      const op = doc.paths[path]?.[m];
      if (!op) throw new Error(`OpenAPI: no operation ${method.toUpperCase()} ${path}`);
      let responsePointer = `#/${pointer('paths', path, m, 'responses', String(status))}`;
      let response = op.responses[String(status)];
      if (!response) throw new Error(`OpenAPI: ${op.operationId} does not document status ${status} (documented: ${Object.keys(op.responses).join(', ')})`);
      if (response.$ref) {
        responsePointer = response.$ref;
        response = response.$ref.slice(2).split('/').reduce((o: Obj, k: string) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      }
      if (!response.content) {
        if (body !== undefined && body !== null && body !== '') throw new Error(`OpenAPI: ${op.operationId} ${status} documents no body, got one`);
        return;
      }
      const type = (contentType ?? '').split(';')[0]!.trim();
      if (!(type in response.content)) throw new Error(`OpenAPI: ${op.operationId} ${status} answers ${Object.keys(response.content).join(', ')}, got "${type}"`);
      if (!type.includes('json')) return;
      const ref = `openapi.json${responsePointer}/content/${pointer(type)}/schema`;
      let validate = compiled.get(ref);
      if (!validate) compiled.set(ref, (validate = ajv.compile({ $ref: ref })));
      if (!validate(body)) {
        throw new Error(`OpenAPI: ${op.operationId} ${status} body does not match the document: ${ajv.errorsText(validate.errors, { separator: '; ' })}\n${JSON.stringify(body).slice(0, 600)}`);
      }
    },
  };
}
