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

type OpenApiOperation = {
  responses?: Record<string, unknown>;
  security?: Record<string, string[]>[];
};
type OpenApiDocument = {
  paths?: Record<string, Record<string, OpenApiOperation | unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
};

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Adds the responses the request-hardening middleware (`src/security/`) can give on every route —
 * it runs before the routes, so no route definition names them — to a generated OpenAPI document:
 * 421 (DNS-rebinding guard, loopback without a token), 429 with `Retry-After` (per-IP rate limit;
 * not on `rateLimitExempt` paths), on writes 413 (body over `security.maxBodyBytes`), on writes
 * and `/v1/admin/*` 401 and 403 (cross-origin write; a forwarded request without a configured
 * token); plus the `bearerAuth` scheme. Codes a
 * route documents itself are kept. Mutates and returns `doc`.
 */
export function withHardeningResponses<T extends object>(
  generated: T,
  options: { rateLimitExempt: readonly string[]; adminPrefix: string },
): T {
  const doc = generated as OpenApiDocument;
  const problem = doc.components?.schemas?.Problem
    ? { $ref: '#/components/schemas/Problem' }
    : { type: 'object' };
  const body = (description: string, extra: Record<string, unknown> = {}) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
    ...extra,
  });
  doc.components = {
    ...doc.components,
    securitySchemes: {
      ...doc.components?.securitySchemes,
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        description: 'The API token (security.apiTokenEnv); required on writes and /v1/admin/*',
      },
    },
  };
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, value] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const op = value as OpenApiOperation;
      const add: Record<string, unknown> = {
        421: body(
          'Host is not a loopback name on a loopback bind without an API token (DNS-rebinding guard)',
        ),
      };
      if (!options.rateLimitExempt.includes(path)) {
        add[429] = body('Per-IP rate limit exceeded (security.rateLimit)', {
          headers: {
            'Retry-After': {
              description: 'Seconds until a request is allowed again',
              schema: { type: 'integer' },
            },
          },
        });
      }
      const write = method !== 'get' && method !== 'head' && method !== 'options';
      const admin = path === options.adminPrefix || path.startsWith(`${options.adminPrefix}/`);
      if (write) add[413] = body('Request body larger than security.maxBodyBytes');
      if (write || admin) {
        add[403] = body(
          write
            ? 'Cross-origin write from an origin CORS does not allow, or a forwarded request (X-Forwarded-For, Forwarded, non-loopback Host) while no API token is set'
            : 'A forwarded request (X-Forwarded-For, Forwarded, non-loopback Host) while no API token is set',
        );
        add[401] = body('Missing or wrong Authorization: Bearer <API token> (when one is set)');
        op.security ??= [{ bearerAuth: [] }];
      }
      op.responses = { ...add, ...op.responses };
    }
  }
  return generated;
}
