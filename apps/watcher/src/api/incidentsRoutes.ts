import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { type Incident, IncidentList, IncidentQuery } from '@perpscope/schemas';
import type { IncidentRecord } from '../db/queries/incidents.js';
import type { AppDeps } from './appDeps.js';
import { problemResponses } from './openApiResponses.js';
import { validationHook } from './problem.js';

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['incidents'],
  summary: 'Incidents, newest first, filtered and paginated by cursor',
  request: { query: IncidentQuery },
  responses: {
    200: {
      description: 'A page of incidents',
      content: { 'application/json': { schema: IncidentList } },
    },
    400: problemResponses[400],
  },
});

/** Serialises an incident for the API. */
export function presentIncident(i: IncidentRecord): Incident {
  return {
    id: i.id,
    subjectType: i.subject.type,
    subjectId: i.subject.id,
    kind: i.kind,
    severity: i.severity,
    state: i.state,
    title: i.title,
    startedAt: new Date(i.startedAt).toISOString(),
    endedAt: i.endedAt === null ? null : new Date(i.endedAt).toISOString(),
    updatedAt: new Date(i.updatedAt).toISOString(),
    peak: i.peak,
    context: i.context,
  };
}

/** `/v1/incidents` routes. */
export function incidentsRoutes(deps: AppDeps) {
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await deps.store.queries.incidents.listIncidents({
      subjectType: q.subjectType,
      subjectId: q.subjectId,
      kind: q.kind,
      state: q.state,
      severity: q.severity,
      since: q.since === undefined ? undefined : Date.parse(q.since),
      until: q.until === undefined ? undefined : Date.parse(q.until),
      cursor: q.cursor === undefined ? undefined : Number(q.cursor),
      limit: q.limit,
    });
    return c.json(
      {
        items: page.items.map(presentIncident),
        nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
      },
      200,
    );
  });
}
