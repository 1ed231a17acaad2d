import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQueryable } from "@prisma/driver-adapter-utils";

/** Called with every SQL statement a client sends, BEGIN/COMMIT/ROLLBACK included. */
export type StatementListener = (sql: string) => void;

function countQueries<T extends SqlQueryable>(target: T, listen: StatementListener): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property === "queryRaw" || property === "executeRaw") {
        return (query: { sql: string }) => {
          listen(query.sql);
          return (value as (q: unknown) => unknown).call(object, query);
        };
      }
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

// COMMIT and ROLLBACK reach the transaction as statements (Prisma sends them); only BEGIN is
// run by the adapter itself, so it is reported here.
/**
 * Wraps a Prisma driver adapter so every statement it runs is reported: how tests hold the
 * number of statements of a hot path (the bot's reply path) to a budget.
 */
export function countingAdapter<F extends SqlDriverAdapterFactory>(factory: F, listen: StatementListener): F {
  return new Proxy(factory, {
    get(object, property, receiver) {
      if (property !== "connect") {
        const value = Reflect.get(object, property, receiver);
        return typeof value === "function" ? value.bind(object) : value;
      }
      return async () => {
        const adapter: SqlDriverAdapter = await object.connect();
        const counted = countQueries(adapter, listen);
        return new Proxy(counted, {
          get(inner, name, r) {
            if (name === "startTransaction") {
              return async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) => {
                listen("BEGIN");
                return countQueries(await adapter.startTransaction(...args), listen);
              };
            }
            return Reflect.get(inner, name, r);
          },
        });
      };
    },
  });
}
