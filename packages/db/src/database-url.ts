import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "./client.ts";

/** DATABASE_URL as every app reads it: SQLite `file:` (the default) or PostgreSQL. */
export const databaseUrlSchema = z
  .string()
  .regex(/^(file:|postgres(ql)?:\/\/)/, "must be a SQLite URL like file:./data/duban.db or a PostgreSQL URL like postgresql://user:password@host:5432/duban")
  .default(DEFAULT_DATABASE_URL);
