import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SubjectType,
  watcherEventCatalogue,
  watcherEventKinds,
  watcherEventSchemaId,
} from '@perpscope/schemas';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../createApp.js';
import { type OpenDb, openDb } from '../db/openDb.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import { EventLog } from './eventLog.js';

// The writers are typed by the catalogue (`EventWriter.emit`), so a kind outside it does not
// compile; these tests check the same from the other side: what the source emits and what the
// API documents, walked against the catalogue.
const SRC = fileURLToPath(new URL('..', import.meta.url));

/** Event-kind string literals in the non-test sources that emit events or name event kinds. */
function kindsInSource(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const entry of readdirSync(SRC, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.ts$/.test(entry.name) || /\.(test|bench)\.ts$/.test(entry.name))
      continue;
    const file = join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    if (!/\.emit\(|EventKinds = \{/.test(text)) continue;
    for (const m of text.matchAll(/'((?:chain|market|hip3|incident|position)\.[a-z]+)'/g)) {
      const kind = m[1] as string;
      found.set(kind, [...(found.get(kind) ?? []), relative(SRC, file)]);
    }
  }
  return found;
}

describe('event catalogue against the source', () => {
  it('every kind the watcher emits is in the catalogue, and every catalogue kind is emitted', () => {
    const inSource = kindsInSource();
    // The walk must see the writers of every subject (so it can fail).
    expect([...new Set([...inSource.values()].flat().map((f) => dirname(f)))]).toEqual(
      expect.arrayContaining([
        'events',
        'subjects/sequencer',
        'subjects/hip3',
        'subjects/positions',
      ]),
    );
    const unknown = [...inSource].filter(([kind]) => !watcherEventKinds.includes(kind as never));
    expect(unknown).toEqual([]);
    expect(watcherEventKinds.filter((k) => !inSource.has(k))).toEqual([]);
  });
});

let open: OpenDb | null = null;
afterEach(() => open?.close());

type JsonSchema = {
  $ref?: string;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/** Property names of a zod object, or of each member of a union of objects. */
function shapeKeys(schema: z.ZodType): string[][] {
  if (schema instanceof z.ZodObject) return [Object.keys(schema.shape).sort()];
  if (schema instanceof z.ZodUnion) return schema.options.flatMap((o) => shapeKeys(o as z.ZodType));
  throw new Error('payloads are objects or unions of objects');
}

function documentedKeys(schema: JsonSchema): string[][] {
  const members = schema.anyOf ?? schema.oneOf;
  if (members) return members.flatMap(documentedKeys);
  return [Object.keys(schema.properties ?? {}).sort()];
}

describe('event catalogue against the OpenAPI document', () => {
  it('documents GET /v1/events as one variant per kind, each with its subject and payload', async () => {
    open = openDb({ path: ':memory:' });
    const clock = { now: () => 0 };
    const logger = pino({ level: 'silent' });
    const eventLog = new EventLog({ store: createSqliteStore(open), clock, logger });
    const app = createApp({
      store: createSqliteStore(open),
      eventLog,
      clock,
      logger,
      version: 't',
      startedAt: 0,
    });
    const doc = (await (await app.request('/v1/openapi.json')).json()) as {
      paths: Record<
        string,
        { get: { responses: Record<string, { content: Record<string, { schema: JsonSchema }> }> } }
      >;
      components: { schemas: Record<string, JsonSchema> };
    };
    const schemas = doc.components.schemas;
    const ref = (id: string) => `#/components/schemas/${id}`;
    const stream = doc.paths['/v1/events']?.get.responses['200']?.content['text/event-stream'];
    expect(stream?.schema.$ref).toBe(ref('WatcherEvent'));
    expect(schemas.WatcherEvent?.oneOf?.map((v) => v.$ref)).toEqual(
      watcherEventKinds.map((k) => ref(watcherEventSchemaId(k))),
    );
    for (const kind of watcherEventKinds) {
      const entry: { subject: string | null; payload: z.ZodType } = watcherEventCatalogue[kind];
      const variant = schemas[watcherEventSchemaId(kind)];
      expect(variant?.properties?.kind?.enum, kind).toEqual([kind]);
      expect(variant?.properties?.subject?.properties?.type?.enum, kind).toEqual(
        entry.subject === null ? SubjectType.options : [entry.subject],
      );
      const payloadId = z.globalRegistry.get(entry.payload)?.id;
      expect(payloadId, `${kind} payload has an OpenAPI id`).toBeDefined();
      expect(variant?.properties?.payload?.$ref, kind).toBe(ref(payloadId as string));
      const documented = schemas[payloadId as string];
      expect(documented && documentedKeys(documented), kind).toEqual(shapeKeys(entry.payload));
    }
  });
});
