import { parseArgs } from "node:util";
import { createUser, UserError } from "@duban/core/users/create-user";
import { roleSchema } from "@duban/core/users/schemas";
import { z } from "zod";
import { type CliIo, openDatabase, UsageError } from "../io.ts";

const USAGE = "usage: user add --role admin|staff|viewer --username <u> [--name <display name>] --password-stdin";

/** user add: the password comes on stdin so it stays out of shell history and `ps`. */
export async function userCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "add") throw new UsageError(USAGE);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: { role: { type: "string" }, username: { type: "string" }, name: { type: "string" }, "password-stdin": { type: "boolean" } },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : error}\n${USAGE}`);
  }
  const role = roleSchema.safeParse(values.role);
  if (!role.success) throw new UsageError(`--role must be admin, staff or viewer\n${USAGE}`);
  if (typeof values.username !== "string") throw new UsageError(`--username is required\n${USAGE}`);
  if (values["password-stdin"] !== true) throw new UsageError(`--password-stdin is required: pipe the password in\n${USAGE}`);
  const password = (await io.readStdin()).replace(/\r?\n$/, "");
  const db = await openDatabase(io);
  try {
    const user = await createUser(db, {
      username: values.username,
      password,
      role: role.data,
      displayName: typeof values.name === "string" ? values.name : null,
      now: io.now(),
      actor: null,
    });
    io.out(`created ${user.role} ${user.username} (id ${user.id})`);
    return 0;
  } catch (error) {
    if (error instanceof UserError) {
      io.err(error.message);
      return 1;
    }
    if (error instanceof z.ZodError) {
      io.err(error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
      return 2;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}
