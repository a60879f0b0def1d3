import { defineConfig } from 'drizzle-kit';

// Every subject owns one schema file under src/db/schema/; generate with
// `flock /tmp/perpscope-drizzle.lock pnpm exec drizzle-kit generate` and commit drizzle/.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema/*.ts',
  out: './drizzle',
});
