import type { Command } from 'commander';
import { loadConfigOrExit } from './config-file.ts';

/** `konveyer openapi`: the API's OpenAPI 3.1 document (JSON) on stdout; needs no Redis or MongoDB. */
export function registerOpenapi(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI document of the HTTP API (JSON) — e.g. for openapi-typescript or redocly lint')
    .action(async () => {
      const { generateOpenApiDocument } = await import('../api/openapi-document.ts');
      const doc = await generateOpenApiDocument(loadConfigOrExit());
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    });
}
