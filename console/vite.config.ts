import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Served by `cloudvault server` under /_console/ (src/console/asset_server.cc).
export default defineConfig({
  base: "/_console/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  // Vitest runs the unit tests in src/; the browser tests in e2e/ are Playwright's.
  test: { environment: "node", include: ["src/**/*.test.{ts,tsx}"] },
});
