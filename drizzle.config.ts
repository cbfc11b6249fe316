// drizzle-kit writes migrations where wrangler.toml's migrations_dir points.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './worker/db/schema.ts',
  out: './worker/migrations',
});
