import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

// Starts the real server binary ($CLOUDVAULT_BIN, else ../build/cloudvault) on a free loopback
// port with a fresh data folder and known root keys; the tests find it through
// CLOUDVAULT_URL, CLOUDVAULT_ACCESS_KEY and CLOUDVAULT_SECRET_KEY. Returns the teardown.
export default async function globalSetup(): Promise<() => Promise<void>> {
  const binary = process.env.CLOUDVAULT_BIN ?? fileURLToPath(new URL("../../build/cloudvault", import.meta.url));
  const data = mkdtempSync(join(tmpdir(), "cloudvault-e2e-"));
  const accessKey = "AKIAE2ECONSOLETEST01";
  const secretKey = "e2e-console-secret-key-0123456789abcdefgh";
  const server = spawn(binary, ["server", "--listen", "127.0.0.1:0", "--data", data], {
    env: {
      ...process.env,
      CLOUDVAULT_ROOT_ACCESS_KEY: accessKey,
      CLOUDVAULT_ROOT_SECRET_KEY: secretKey,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((ready, failed) => {
    const lines = createInterface({ input: server.stdout! });
    lines.on("line", (line) => {
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/.exec(line);
      if (match) ready(match[1]);
    });
    server.on("exit", (code) => failed(new Error(`cloudvault server exited early (${code})`)));
    server.on("error", failed);
  });
  process.env.CLOUDVAULT_URL = url;
  process.env.CLOUDVAULT_ACCESS_KEY = accessKey;
  process.env.CLOUDVAULT_SECRET_KEY = secretKey;
  process.env.CLOUDVAULT_DATA = data;
  return async () => {
    const exited = new Promise((done) => server.once("exit", done));
    server.kill("SIGTERM");
    await exited;
    rmSync(data, { recursive: true, force: true });
  };
}
