import { backupCommand, restoreCommand } from "./commands/backup.ts";
import { dbCommand } from "./commands/db.ts";
import { planCommand } from "./commands/plan.ts";
import { userCommand } from "./commands/user.ts";
import { inviteCommand } from "./commands/invite.ts";
import { scoresCommand } from "./commands/scores.ts";
import { remindersCommand, roundsCommand, schedulerCommand } from "./commands/scheduler.ts";
import { type CliIo, exitAfterFlush, UsageError } from "./io.ts";

type Command = (args: string[], io: CliIo) => Promise<number>;

const commands: Record<string, Command> = {
  plan: planCommand,
  db: dbCommand,
  reminders: remindersCommand,
  rounds: roundsCommand,
  scheduler: schedulerCommand,
  user: userCommand,
  invite: inviteCommand,
  backup: backupCommand,
  restore: restoreCommand,
  scores: scoresCommand,
};

const HELP = `Duban operator CLI — npm run -s duban -- <command>

  plan parse <file>                 print the parsed plan as JSON
  plan import <file> [--plan <id> | --new]
                                    import a plan (.txt, .docx, .xlsx): updates the plan with the same
                                    文号 (or, without one, the same title), else adds one; prints the
                                    changes and the plan id
  plan list                         one JSON a line: id, title, docNumber, tasks, archived
  plan archive <id> | plan restore <id>
                                    archive (no more rounds or reminders) or restore a plan
  db migrate | db check             apply migrations (backed up first) | check schema against migrations
  backup [--to <dir>]               a checked online backup of the database (default BACKUP_DIR)
  backup list [--dir <dir>]         backups with time, size and what was checked
  restore <backup file>             put a backup in place (refused while a server uses the database)
  reminders preview --at <ISO>      reminders due at that moment, one JSON a line (nothing sent)
  rounds list [--plan <id>] [--period 2026Q4]
                                    rounds with their planId and expected / submitted / missing units
  scheduler tick --at <ISO>         run one scheduler pass as if it were that moment
  invite create --unit <name> [--role liaison|head] [--name <person>] [--days 14] [--bot-username <bot>]
                                    print a single-use invite link (t.me deep link) and its token
  user add --role admin|staff|viewer --username <u> [--name <n>] --password-stdin
  scores --year 2026 [--plan <id>]  考核: one JSON per unit a line {unit, owed, onTime, late, missing, exempt, score}, best first

  reminders preview and scheduler tick follow WORKING_HOURS (HH:MM-HH:MM, default 09:00-17:30), as the server does.
`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help") {
    io.out(HELP);
    return name ? 0 : 2;
  }
  const command = commands[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"\n\n${HELP}`);
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/").split("/").pop() ?? "");
if (isMain) {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    env: process.env,
    now: () => new Date(),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => exitAfterFlush(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      exitAfterFlush(1);
    },
  );
}
