import { Problem } from '@perpscope/schemas';

/** Error responses shared by the route definitions. */
export const problemResponses = {
  400: {
    description: 'Malformed request; `errors` names each invalid field',
    content: { 'application/problem+json': { schema: Problem } },
  },
  404: {
    description: 'Not found',
    content: { 'application/problem+json': { schema: Problem } },
  },
} as const;
