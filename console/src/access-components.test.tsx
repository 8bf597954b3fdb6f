import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { AccountBlockSection } from "./AccountBlockSection";
import { AccessKeySummary, ConsoleApi } from "./api";
import { KeyTable } from "./KeyTable";
import { AccountSettings } from "./PermissionsPanel";
import { PolicyEditor } from "./PolicyEditor";

const nothing = async () => undefined;

describe("the policy editor", () => {
  it("ties the server's reason to the field and announces it", () => {
    const html = renderToStaticMarkup(
      <PolicyEditor label="Policy document (JSON)" value="{" onChange={() => undefined} error="Policies must be valid JSON." />,
    );
    expect(html).toContain('aria-invalid="true"');
    const described = /aria-describedby="([^"]+)"/.exec(html)?.[1];
    expect(described).toBeTruthy();
    expect(html).toContain(`<p id="${described}" role="alert" class="error">Policies must be valid JSON.</p>`);
  });

  it("has no alert and no invalid mark without an error", () => {
    const html = renderToStaticMarkup(<PolicyEditor label="Policy" value="{}" onChange={() => undefined} error="" />);
    expect(html).not.toContain("aria-invalid");
    expect(html).not.toContain('role="alert"');
  });
});

describe("the key table", () => {
  const keys: AccessKeySummary[] = [
    { accessKeyId: "AKIAONE", status: "Active", created: "2026-12-01T00:00:00Z", lastUsed: null, lastUsedService: "", lastUsedRegion: "" },
    {
      accessKeyId: "AKIATWO",
      status: "Inactive",
      created: "2026-12-02T00:00:00Z",
      lastUsed: "2026-12-05T08:00:00Z",
      lastUsedService: "s3",
      lastUsedRegion: "us-east-1",
    },
  ];

  it("names each button after its key and marks the session's key", () => {
    const html = renderToStaticMarkup(<KeyTable keys={keys} sessionKey="AKIATWO" onStatus={nothing} onDelete={nothing} />);
    expect(html).toContain('aria-label="Make inactive key AKIAONE"');
    expect(html).toContain('aria-label="Make active key AKIATWO"');
    expect(html).toContain('aria-label="Delete key AKIATWO"');
    expect(html).toContain("AKIATWO<span class=\"hint\"> (this session)</span>");
    expect(html).toContain("Never");
    expect(html).toContain("2026-12-05T08:00:00Z (s3, us-east-1)");
  });

  it("says so when there is no key", () => {
    expect(renderToStaticMarkup(<KeyTable keys={[]} onStatus={nothing} onDelete={nothing} />)).toContain("No access keys.");
  });
});

describe("the account's Block Public Access", () => {
  it("lists the settings that are on, and nothing when none is", () => {
    expect(renderToStaticMarkup(<AccountSettings account={null} />)).toBe("");
    const off = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
    expect(renderToStaticMarkup(<AccountSettings account={off} />)).toBe("");
    const html = renderToStaticMarkup(<AccountSettings account={{ ...off, blockPublicPolicy: true }} />);
    expect(html).toContain("<li>Block public bucket policies</li>");
    expect(html).not.toContain("Block public ACLs");
  });

  it("cannot be ticked or saved before the stored settings arrive (a late load would undo the tick)", () => {
    const loading = { accountPublicAccessBlock: () => new Promise(() => undefined) } as unknown as ConsoleApi;
    const html = renderToStaticMarkup(<AccountBlockSection api={loading} />);
    expect(html).toContain("<fieldset disabled=\"\">");
    expect(html).toMatch(/<button type="submit" class="primary" disabled="">Save account settings<\/button>/);
  });
});
