import { z } from 'zod';

/** `database`: the SQLite file (WAL mode). `:memory:` gives a throw-away database. */
export const DatabaseConfig = z
  .object({
    path: z.string().min(1).default('./data/perpscope.db'),
  })
  .strict()
  .default({ path: './data/perpscope.db' });
export type DatabaseConfig = z.infer<typeof DatabaseConfig>;
