import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Served by `cloudvault server` under /_console/ (src/console/asset_server.cc).
export default defineConfig({
  base: "/_console/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  test: { environment: "node" },
});
