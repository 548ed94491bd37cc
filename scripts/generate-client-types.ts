/** Rewrites client/konveyer-api.d.ts from the API's OpenAPI document (no Redis or MongoDB needed). */
import { writeFile } from 'node:fs/promises';
import { generateOpenApiDocument } from '../api/openapi-document.ts';
import { clientTypesSource } from '../client/types-source.ts';
import { loadConfig } from '../config/index.ts';

const doc = await generateOpenApiDocument(loadConfig({ LOG_LEVEL: 'silent' }));
await writeFile(new URL('../client/konveyer-api.d.ts', import.meta.url), await clientTypesSource(doc));
process.stdout.write('client/konveyer-api.d.ts written\n');
