import { defineConfig } from "prisma/config";

// The Prisma CLI follows DATABASE_URL: a postgresql:// URL selects the PostgreSQL twin of the
// schema and its own history (prisma/postgresql), so `prisma migrate deploy` works for both.
const url = process.env.DATABASE_URL ?? "file:./data/duban.db";
const postgres = /^postgres(ql)?:\/\//.test(url);

export default defineConfig({
  schema: postgres ? "prisma/postgresql/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgresql/migrations" : "prisma/migrations" },
  datasource: { url },
});
