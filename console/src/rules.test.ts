import { describe, expect, it } from "vitest";

import { BackupRule } from "./api";
import {
  describeBackupFilter,
  describeDestination,
  describeKeyFilter,
  eventChoices,
  eventLabel,
  replicationStatusLabel,
} from "./rules";

const rule: BackupRule = {
  id: "r",
  priority: 1,
  enabled: true,
  destinationBucket: "copies",
  remote: "",
  storageClass: "",
  prefix: "",
  suffix: "",
  contentType: "",
  tags: [],
  deleteMarkers: false,
  existingObjects: false,
};

describe("event rules in words", () => {
  it("names the offered events and passes others through", () => {
    expect(eventLabel("s3:ObjectRemoved:*")).toBe("Object deleted");
    expect(eventLabel("s3:ObjectCreated:Put")).toBe("s3:ObjectCreated:Put");
    expect(new Set(eventChoices.map((c) => c.name)).size).toBe(eventChoices.length);
  });

  it("describes each combination of prefix and suffix", () => {
    expect(describeKeyFilter("", "")).toBe("All objects");
    expect(describeKeyFilter("cats/", "")).toBe("Keys starting with “cats/”");
    expect(describeKeyFilter("", ".jpg")).toBe("Keys ending with “.jpg”");
    expect(describeKeyFilter("cats/", ".jpg")).toBe("Keys starting with “cats/” and ending with “.jpg”");
  });
});

describe("backup rules in words", () => {
  it("says where a rule copies to", () => {
    expect(describeDestination(rule)).toBe("copies (this server)");
    expect(describeDestination({ ...rule, remote: "offsite" })).toBe("copies on offsite");
  });

  it("adds content type and object tags to the key filter", () => {
    expect(describeBackupFilter(rule)).toBe("All objects");
    expect(
      describeBackupFilter({
        ...rule,
        prefix: "docs/",
        contentType: "application/pdf",
        tags: [{ name: "backup", value: "yes" }],
      }),
    ).toBe("Keys starting with “docs/”, of type application/pdf, tagged backup=yes");
  });
});

describe("replication status in words", () => {
  it("names each S3 state and nothing for none", () => {
    expect(replicationStatusLabel("PENDING")).toBe("Pending");
    expect(replicationStatusLabel("COMPLETED")).toBe("Completed");
    expect(replicationStatusLabel("FAILED")).toBe("Failed");
    expect(replicationStatusLabel("REPLICA")).toBe("Replica");
    expect(replicationStatusLabel("")).toBe("");
    expect(replicationStatusLabel(undefined)).toBe("");
  });
});
