import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

// Starts the real server binary ($CLOUDVAULT_BIN, else ../build/cloudvault) on a free loopback
// port with a fresh data folder and known root keys; the tests find it through
// CLOUDVAULT_URL, CLOUDVAULT_ACCESS_KEY and CLOUDVAULT_SECRET_KEY. Its configuration names one
// notification target, "ops-hook" (a webhook receiver on loopback started here, answering
// 200), and one replication remote, "offsite" (a loopback port nothing listens on: the tests
// only configure rules), for the bucket's Events and Backup panels. Returns the teardown.
export default async function globalSetup(): Promise<() => Promise<void>> {
  const binary = process.env.CLOUDVAULT_BIN ?? fileURLToPath(new URL("../../build/cloudvault", import.meta.url));
  const data = mkdtempSync(join(tmpdir(), "cloudvault-e2e-"));
  const receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.end("ok"));
  });
  await new Promise<void>((listening) => receiver.listen(0, "127.0.0.1", listening));
  const hookPort = (receiver.address() as AddressInfo).port;
  const configDir = mkdtempSync(join(tmpdir(), "cloudvault-e2e-config-"));
  const config = join(configDir, "cloudvault.toml");
  writeFileSync(
    config,
    [
      "[notify.targets.ops-hook]",
      'type = "webhook"',
      `url = "http://127.0.0.1:${hookPort}/events"`,
      'secret = "e2e-webhook-secret"',
      "",
      "[replication.remotes.offsite]",
      'endpoint = "http://127.0.0.1:9"',
      'access_key = "AKIAE2EREMOTE0000001"',
      'secret_key = "e2e-remote-secret"',
      "",
    ].join("\n"),
  );
  const accessKey = "AKIAE2ECONSOLETEST01";
  const secretKey = "e2e-console-secret-key-0123456789abcdefgh";
  const server = spawn(binary, ["server", "--config", config, "--listen", "127.0.0.1:0", "--data", data], {
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
    await new Promise((closed) => receiver.close(closed));
    rmSync(data, { recursive: true, force: true });
    rmSync(configDir, { recursive: true, force: true });
  };
}
