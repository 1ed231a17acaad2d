import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  server: {
    host: "127.0.0.1",
    port: 5173,
    // The API runs on the server (npm start); the browser sees one origin, so the cookie stays SameSite=Strict.
    proxy: { "/trpc": "http://127.0.0.1:3000", "/files": "http://127.0.0.1:3000" },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // scripts/measure-first-route.mjs reads it to report the first route's JavaScript.
    manifest: true,
    chunkSizeWarningLimit: 1200,
  },
});
