import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const kAccessKey = "AKIAE2ECONSOLETEST01";
export const kSecretKey = "e2e-console-secret-key-0123456789abcdefgh";

export interface RunningServer {
  url: string;
  data: string; // its data folder
  stop: () => Promise<void>; // SIGTERM, wait for the exit, remove the folders
}

// Starts the real server binary ($CLOUDVAULT_BIN, else ../build/cloudvault) on a free loopback
// port with a fresh data folder, the known root keys above and `config` as its configuration
// file; resolves once it says where it listens.
export async function startServer(config: string): Promise<RunningServer> {
  const binary = process.env.CLOUDVAULT_BIN ?? fileURLToPath(new URL("../../build/cloudvault", import.meta.url));
  const data = mkdtempSync(join(tmpdir(), "cloudvault-e2e-"));
  const configDir = mkdtempSync(join(tmpdir(), "cloudvault-e2e-config-"));
  const configFile = join(configDir, "cloudvault.toml");
  writeFileSync(configFile, config);
  const server: ChildProcess = spawn(
    binary,
    ["server", "--config", configFile, "--listen", "127.0.0.1:0", "--data", data],
    {
      env: { ...process.env, CLOUDVAULT_ROOT_ACCESS_KEY: kAccessKey, CLOUDVAULT_ROOT_SECRET_KEY: kSecretKey },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((ready, failed) => {
    const lines = createInterface({ input: server.stdout! });
    lines.on("line", (line) => {
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/.exec(line);
      if (match) ready(match[1]);
    });
    server.on("exit", (code) => failed(new Error(`cloudvault server exited early (${code})`)));
    server.on("error", failed);
  });
  return {
    url,
    data,
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((done) => server.once("exit", done));
        server.kill("SIGTERM");
        await exited;
      }
      rmSync(data, { recursive: true, force: true });
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
