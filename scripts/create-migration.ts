// Usage: tsx scripts/create-migration.ts <name>
// Creates prisma/migrations/<timestamp>_<name>/migration.sql from the changes to prisma/schema.prisma.
import { createMigration } from '../src/db/migration-create.ts';

const [name] = process.argv.slice(2).filter((arg) => arg !== '--');
if (!name) {
  console.error('Usage: tsx scripts/create-migration.ts <name>   (e.g. add_worker_badge)');
  process.exit(2);
}
createMigration(name).catch((error) => {
  console.error(`create-migration: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
