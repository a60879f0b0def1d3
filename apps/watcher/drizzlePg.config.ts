import { defineConfig } from 'drizzle-kit';

// The PostgreSQL twin of drizzle.config.ts: schema under src/db/pg/schema/, migrations in
// drizzle-pg/. Generate with
// `flock /tmp/perpscope-drizzle.lock pnpm exec drizzle-kit generate --config drizzlePg.config.ts --name <what>`
// after changing a table in BOTH dialects (src/db/pg/pgSchema.test.ts compares them).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg/schema/*.ts',
  out: './drizzle-pg',
});
