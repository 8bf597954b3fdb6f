import { createServer } from "node:http";
import { AddressInfo } from "node:net";

import { kAccessKey, kSecretKey, startServer } from "./server";

// Starts the real server (server.ts) that the tests share; they find it through
// CLOUDVAULT_URL, CLOUDVAULT_ACCESS_KEY and CLOUDVAULT_SECRET_KEY. Its configuration names one
// notification target, "ops-hook" (a webhook receiver on loopback started here, answering
// 200), and one replication remote, "offsite" (a loopback port nothing listens on: the tests
// only configure rules), for the bucket's Events and Backup panels. Returns the teardown.
export default async function globalSetup(): Promise<() => Promise<void>> {
  const receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.end("ok"));
  });
  await new Promise<void>((listening) => receiver.listen(0, "127.0.0.1", listening));
  const hookPort = (receiver.address() as AddressInfo).port;
  const server = await startServer(
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
  process.env.CLOUDVAULT_URL = server.url;
  process.env.CLOUDVAULT_ACCESS_KEY = kAccessKey;
  process.env.CLOUDVAULT_SECRET_KEY = kSecretKey;
  process.env.CLOUDVAULT_DATA = server.data;
  return async () => {
    await server.stop();
    await new Promise((closed) => receiver.close(closed));
  };
}
