import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { Page } from "@playwright/test";

import { Server, csrfToken, expect, putThroughApi, signIn, test } from "./fixtures";

// The Users and Policies pages, "My access keys" and a bucket's Permissions panel against the
// real server. Screenshots for the README.
const shots = fileURLToPath(new URL("../../docs/screenshots", import.meta.url));

function nav(page: Page) {
  return page.getByRole("navigation", { name: "Console" });
}

async function createBucket(page: Page, server: Server, name: string) {
  const csrf = await csrfToken(page, server);
  const created = await page.request.post(`${server.url}/_console/api/buckets`, {
    headers: { "X-CSRF-Token": csrf },
    data: { name },
  });
  expect(created.status(), await created.text()).toBe(201);
}

test("root creates a user, its key and an inline policy; the user signs in with the key", async ({
  watched: page,
  server,
  browser,
}) => {
  const user = `ann-${Date.now()}`;
  const bucket = `ann-files-${Date.now()}`;
  await signIn(page, server);
  await createBucket(page, server, bucket);
  await nav(page).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users", exact: true })).toBeVisible();

  await page.getByLabel("New user name").fill(user);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("heading", { name: user })).toBeVisible();
  await expect(page.getByText("No access keys.")).toBeVisible();

  let accessKey = "";
  let secretKey = "";
  await test.step("create a key: the secret is shown once", async () => {
    await page.getByRole("button", { name: "Create access key" }).click();
    const dialog = page.getByRole("dialog", { name: "New access key" });
    await expect(dialog).toContainText("shown only this once");
    accessKey = (await dialog.getByTestId("new-access-key").textContent()) ?? "";
    secretKey = (await dialog.getByTestId("new-secret-key").textContent()) ?? "";
    expect(accessKey).toMatch(/^[A-Z0-9]{16,}$/);
    expect(secretKey.length).toBeGreaterThan(20);
    await dialog.getByRole("button", { name: "Done" }).click();
    const keys = page.getByRole("table", { name: "Access keys" });
    await expect(keys.getByRole("row", { name: new RegExp(accessKey) })).toContainText("Active");
    await expect(keys).not.toContainText(secretKey);
  });

  await test.step("a malformed inline policy is refused with IAM's reason, a valid one saved", async () => {
    const form = page.getByRole("form", { name: "Edit an inline policy" });
    await form.getByLabel("Policy name").fill("files");
    const editor = form.getByLabel("Policy document (JSON)");
    await editor.fill('{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}');
    await form.getByRole("button", { name: "Save policy" }).click();
    await expect(form.getByRole("alert")).not.toBeEmpty();
    await expect(editor).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("None.").first()).toBeVisible();
    await editor.fill(
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
      }),
    );
    await form.getByRole("button", { name: "Save policy" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved the policy “files”.");
    await expect(page.getByRole("list", { name: "Inline policies" })).toContainText("files");
    await page.screenshot({ path: join(shots, "users.png"), fullPage: true });
  });

  await test.step("the user signs in with its key: no Users page, its own keys", async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await signIn(other, { url: server.url, accessKey, secretKey });
    await expect(nav(other).getByRole("link", { name: "Users" })).toHaveCount(0);
    await nav(other).getByRole("link", { name: "My access keys" }).click();
    await expect(other.getByRole("heading", { name: "My access keys" })).toBeVisible();
    await expect(other.getByRole("table", { name: "Access keys" })).toContainText(`${accessKey} (this session)`);
    await other.getByRole("button", { name: "Create access key" }).click();
    const dialog = other.getByRole("dialog", { name: "New access key" });
    const second = (await dialog.getByTestId("new-access-key").textContent()) ?? "";
    await dialog.getByRole("button", { name: "Done" }).click();
    const keys = other.getByRole("table", { name: "Access keys" });
    await other.getByRole("button", { name: `Make inactive key ${second}` }).click();
    await expect(keys.getByRole("row", { name: new RegExp(second) })).toContainText("Inactive");
    // IAM's limit: two keys a user.
    await other.getByRole("button", { name: "Create access key" }).click();
    await expect(other.getByRole("alert")).toContainText(/limit|2/i);
    await other.getByRole("button", { name: `Delete key ${second}` }).click();
    await other.getByRole("dialog", { name: "Delete access key" }).getByRole("button", { name: "Delete" }).click();
    await expect(keys.getByRole("row")).toHaveCount(2); // the header and the session's key
    await context.close();
  });

  await test.step("deleting the user says what is removed first", async () => {
    await page.getByRole("button", { name: "Delete user" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete user" });
    await expect(dialog).toContainText("1 access key, 1 inline policy");
    await dialog.getByRole("button", { name: "Remove all and delete" }).click();
    await expect(page.getByRole("heading", { name: "Users", exact: true })).toBeVisible();
    await expect(page.getByRole("table", { name: "Users" })).toHaveCount(0);
  });
});

test("root creates a managed policy and a role on the Policies page", async ({ watched: page, server }) => {
  const policy = `ReadAll${Date.now()}`;
  const role = `deployer-${Date.now()}`;
  await signIn(page, server);
  await nav(page).getByRole("link", { name: "Policies" }).click();
  const form = page.getByRole("form", { name: "Create a managed policy" });
  await form.getByLabel("Policy name").fill(policy);
  await form.getByLabel("Policy document (JSON)").fill("{");
  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(form.getByRole("alert")).not.toBeEmpty();
  await form.getByLabel("Policy document (JSON)").fill(
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }),
  );
  await form.getByRole("button", { name: "Create policy" }).click();
  await expect(page.getByRole("table", { name: "Managed policies" })).toContainText(policy);

  const roles = page.getByRole("form", { name: "Create a role" });
  await roles.getByLabel("Role name").fill(role);
  await roles.getByRole("button", { name: "Create role" }).click();
  await expect(page.getByRole("table", { name: "Roles" })).toContainText(role);
  await page.getByRole("button", { name: `Open role ${role}` }).click();
  const dialog = page.getByRole("dialog", { name: `Role ${role}` });
  await expect(dialog).toContainText("sts:AssumeRole");
  // The trust policy started out naming this server's account.
  const account = /arn:aws:iam::(\d{12}):role\//.exec((await dialog.textContent()) ?? "")?.[1];
  expect(account).toBeTruthy();
  await expect(dialog).toContainText(`arn:aws:iam::${account}:root`);
  await dialog.getByLabel("Policy name").fill("read");
  await dialog.getByRole("button", { name: "Save policy" }).click();
  await expect(dialog.getByRole("list", { name: "Role policies" })).toContainText("read");
  await dialog.getByRole("button", { name: "Close" }).click();
  await page.getByRole("button", { name: `Delete role ${role}` }).click();
  await page.getByRole("dialog", { name: "Delete role" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("table", { name: "Roles" })).toHaveCount(0);
});

test("root sets and removes the account-wide Block Public Access on the Policies page", async ({
  watched: page,
  server,
}) => {
  await signIn(page, server);
  await nav(page).getByRole("link", { name: "Policies" }).click();
  const form = page.getByRole("form", { name: "Account Block Public Access" });
  const policyBox = form.getByRole("checkbox", { name: /Block public bucket policies/ });
  await expect(policyBox).not.toBeChecked();
  await policyBox.check();
  await form.getByRole("button", { name: "Save account settings" }).click();
  await expect(form.getByRole("status")).toContainText("Saved");
  // A fresh page load shows what the server keeps.
  await page.reload();
  const reloaded = page.getByRole("form", { name: "Account Block Public Access" });
  await expect(reloaded.getByRole("checkbox", { name: /Block public bucket policies/ })).toBeChecked();
  await reloaded.getByRole("button", { name: "Remove account settings" }).click();
  await expect(reloaded.getByRole("status")).toContainText("Removed");
  await expect(reloaded.getByRole("checkbox", { name: /Block public bucket policies/ })).not.toBeChecked();
});

test("a bucket's policy is edited (malformed, blocked, then public) and Block Public Access toggled", async ({
  watched: page,
  server,
}) => {
  const bucket = `site-${Date.now()}`;
  await signIn(page, server);
  await createBucket(page, server, bucket);
  await putThroughApi(page, server, bucket, "index.html", "<h1>hi</h1>", "text/html");
  await page.reload();
  await page.getByRole("button", { name: bucket, exact: true }).click();
  await page.getByRole("group", { name: "Bucket page" }).getByRole("button", { name: "Permissions" }).click();
  await expect(page.getByTestId("public-badge")).toHaveText("Not public");

  const policyForm = page.getByRole("form", { name: "Bucket policy" });
  const editor = policyForm.getByLabel("Policy document (JSON)");
  const blockForm = page.getByRole("form", { name: "Block Public Access" });
  const anonymous = () => page.request.get(`${server.url}/${bucket}/index.html`, { headers: { Cookie: "" } });

  await test.step("a malformed policy is refused with S3's reason", async () => {
    await editor.fill('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}');
    await policyForm.getByRole("button", { name: "Save policy" }).click();
    await expect(policyForm.getByRole("alert")).not.toBeEmpty();
    await expect(editor).toHaveAttribute("aria-invalid", "true");
  });

  await test.step("a public policy is refused while public policies are blocked", async () => {
    await editor.fill("");
    await policyForm.getByRole("button", { name: "Start from “public read”" }).click();
    await expect(editor).toHaveValue(/"Principal": "\*"/);
    await policyForm.getByRole("button", { name: "Save policy" }).click();
    await expect(policyForm.getByRole("alert")).toContainText("BlockPublicPolicy");
    expect((await anonymous()).status()).toBe(403);
  });

  await test.step("with Block Public Access off, the policy makes the bucket public", async () => {
    for (const label of ["Block public ACLs", "Ignore public ACLs", "Block public bucket policies", "Restrict public buckets"]) {
      await blockForm.getByRole("checkbox", { name: new RegExp(label) }).uncheck();
    }
    await blockForm.getByRole("button", { name: "Save settings" }).click();
    await expect(blockForm.getByRole("status")).toHaveText("Saved the Block Public Access settings.");
    await policyForm.getByRole("button", { name: "Save policy" }).click();
    await expect(policyForm.getByRole("status")).toHaveText("Saved the bucket policy.");
    await expect(page.getByTestId("public-badge")).toHaveText("Public");
    expect((await anonymous()).status()).toBe(200);
    await page.screenshot({ path: join(shots, "permissions.png"), fullPage: true });
  });

  await test.step("Restrict public buckets takes the public grant away again", async () => {
    await blockForm.getByRole("checkbox", { name: /Restrict public buckets/ }).check();
    await blockForm.getByRole("button", { name: "Save settings" }).click();
    await expect(blockForm.getByRole("status")).toHaveText("Saved the Block Public Access settings.");
    expect((await anonymous()).status()).toBe(403);
    await page.reload();
    await page.getByRole("group", { name: "Bucket page" }).getByRole("button", { name: "Permissions" }).click();
    await expect(page.getByRole("form", { name: "Block Public Access" }).getByRole("checkbox", { name: /Restrict public buckets/ })).toBeChecked();
  });

  await test.step("deleting the policy makes the bucket private", async () => {
    await policyForm.getByRole("button", { name: "Delete policy" }).click();
    await expect(policyForm.getByRole("status")).toHaveText("Deleted the bucket policy.");
    await expect(page.getByTestId("public-badge")).toHaveText("Not public");
  });
});
