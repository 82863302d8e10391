import { existsSync } from 'node:fs';
import { defineConfig } from 'prisma/config';

// The Prisma CLI wants a native schema engine it cannot download here; `prisma generate`
// never runs it, so any existing file satisfies the check. Migrations use the WASM
// engine instead (src/db/migrations.ts); see ../shared/PRISMA-OFFLINE.md.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(process.env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
