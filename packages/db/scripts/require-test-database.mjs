// Guard of the `test:pg` scripts: PostgreSQL tests must fail, not pass silently, without a server.
const url = process.env.DUBAN_TEST_DATABASE ?? "";
if (!/^postgres(ql)?:\/\//.test(url)) {
  console.error(
    [
      "test:pg needs a PostgreSQL server: set DUBAN_TEST_DATABASE to a role that may CREATE DATABASE, e.g.",
      "  DUBAN_TEST_DATABASE=postgresql://duban:duban@127.0.0.1:5432/duban npm run test:pg",
      url ? `(got "${url}", which is not a postgresql:// URL)` : "(it is not set; `npm test` runs everything on SQLite)",
    ].join("\n"),
  );
  process.exit(1);
}
