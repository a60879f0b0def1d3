import { z } from 'zod';

/**
 * `ingestion`: where polls, WebSocket parsing, evaluation and ingestion writes run. `worker`
 * (default): a `worker_threads` Worker with its own database connection, so none of it delays an
 * HTTP request (ARCHITECTURE.md, "Ingestion in a worker thread"); `main`: one thread for
 * everything (as before issue 15; ~20 MB less RSS, HTTP latency shares the ingestion's loop).
 */
export const IngestionConfig = z
  .object({
    thread: z.enum(['worker', 'main']).default('worker'),
  })
  .strict()
  .default({ thread: 'worker' });
export type IngestionConfig = z.infer<typeof IngestionConfig>;
