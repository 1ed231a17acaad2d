/** The console's side of an e2e test: tRPC over HTTP with the session cookie it was given. */
export function consoleSession(baseUrl: () => string) {
  let cookie = "";
  return {
    get cookie() {
      return cookie;
    },
    async trpc<T>(procedure: string, input?: unknown, method: "GET" | "POST" = "GET"): Promise<T> {
      const url = new URL(`/trpc/${procedure}`, baseUrl());
      if (method === "GET" && input !== undefined) url.searchParams.set("input", JSON.stringify(input));
      const response = await fetch(url, {
        method,
        headers: { "content-type": "application/json", cookie },
        ...(method === "POST" ? { body: JSON.stringify(input ?? {}) } : {}),
      });
      const setCookie = response.headers.get("set-cookie");
      if (setCookie) cookie = setCookie.split(";")[0]!;
      const body = (await response.json()) as { result?: { data: T }; error?: { message: string } };
      if (!response.ok || !body.result) throw new Error(`${procedure}: ${response.status} ${body.error?.message}`);
      return body.result.data;
    },
  };
}
