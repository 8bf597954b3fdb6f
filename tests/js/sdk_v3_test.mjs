// Drives a CloudVault server with the AWS SDK for JavaScript v3, as a web or Node app would.
// Run by tests/integration/test_clients.py with CV_ENDPOINT, CV_BUCKET, CV_ACCESS_KEY and
// CV_SECRET_KEY set. Exits non-zero on the first mismatch; on success prints one JSON line
// describing the object it leaves behind, which the Python side checks independently.

import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import * as zlib from "node:zlib";

import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

const { CV_ENDPOINT, CV_BUCKET, CV_ACCESS_KEY, CV_SECRET_KEY } = process.env;
if (!CV_ENDPOINT || !CV_BUCKET || !CV_ACCESS_KEY || !CV_SECRET_KEY) {
  console.error("CV_ENDPOINT, CV_BUCKET, CV_ACCESS_KEY and CV_SECRET_KEY must be set");
  process.exit(2);
}

const MiB = 1024 * 1024;
const Bucket = CV_BUCKET;
// Defaults on purpose: the SDK's default checksum behaviour (CRC32, sent as a trailer with
// aws-chunked encoding for streaming bodies) is what the server has to accept.
const client = new S3Client({
  endpoint: CV_ENDPOINT,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: CV_ACCESS_KEY, secretAccessKey: CV_SECRET_KEY },
  maxAttempts: 1,
});

const sha256 = (buffer) => createHash("sha256").update(buffer).digest("hex");
const md5 = (buffer) => createHash("md5").update(buffer).digest("hex");
const crc32Base64 = (buffer) => {
  if (typeof zlib.crc32 !== "function") return undefined;
  const value = Buffer.alloc(4);
  value.writeUInt32BE(zlib.crc32(buffer) >>> 0);
  return value.toString("base64");
};

function check(condition, message) {
  if (!condition) {
    console.error(`MISMATCH: ${message}`);
    process.exit(1);
  }
}

async function readBody(key, extra = {}) {
  const response = await client.send(new GetObjectCommand({ Bucket, Key: key, ...extra }));
  const bytes = Buffer.from(await response.Body.transformToByteArray());
  return { response, bytes };
}

async function step(name, fn) {
  try {
    await fn();
    console.error(`ok   ${name}`);
  } catch (error) {
    console.error(`FAIL ${name}: ${error.name}: ${error.message}`);
    if (error.$metadata) console.error(JSON.stringify(error.$metadata));
    process.exit(1);
  }
}

const small = randomBytes(300 * 1024 + 7);
const streamed = randomBytes(2 * MiB + 11);
const large = randomBytes(12 * MiB + 5);

await step("PutObject with a Buffer body", async () => {
  const put = await client.send(
    new PutObjectCommand({
      Bucket,
      Key: "js/buffer.bin",
      Body: small,
      ContentType: "application/x-test",
      Metadata: { origin: "sdk-v3" },
    }),
  );
  check(put.ETag === `"${md5(small)}"`, `buffer ETag ${put.ETag}`);
  const expected = crc32Base64(small);
  if (put.ChecksumCRC32 !== undefined && expected !== undefined) {
    check(put.ChecksumCRC32 === expected, `buffer CRC32 ${put.ChecksumCRC32} != ${expected}`);
  }
});

await step("GetObject of the Buffer upload", async () => {
  const { response, bytes } = await readBody("js/buffer.bin", { ChecksumMode: "ENABLED" });
  check(sha256(bytes) === sha256(small), "buffer body differs");
  check(response.ContentType === "application/x-test", `content type ${response.ContentType}`);
  check(response.Metadata?.origin === "sdk-v3", `metadata ${JSON.stringify(response.Metadata)}`);
  check(!(response.ContentEncoding || "").includes("aws-chunked"), "aws-chunked was stored");
});

await step("PutObject with a stream body (aws-chunked + trailer checksum)", async () => {
  const put = await client.send(
    new PutObjectCommand({
      Bucket,
      Key: "js/stream.bin",
      Body: Readable.from([streamed.subarray(0, MiB), streamed.subarray(MiB)]),
      ContentLength: streamed.length,
    }),
  );
  check(put.ETag === `"${md5(streamed)}"`, `stream ETag ${put.ETag}`);
  const { response, bytes } = await readBody("js/stream.bin", { ChecksumMode: "ENABLED" });
  check(sha256(bytes) === sha256(streamed), "stream body differs");
  check(response.ContentLength === streamed.length, `stream length ${response.ContentLength}`);
  check(!(response.ContentEncoding || "").includes("aws-chunked"), "aws-chunked was stored");
  const expected = crc32Base64(streamed);
  if (response.ChecksumCRC32 !== undefined && expected !== undefined) {
    check(response.ChecksumCRC32 === expected, `stream CRC32 ${response.ChecksumCRC32}`);
  }
});

await step("ranged GetObject", async () => {
  const { response, bytes } = await readBody("js/stream.bin", { Range: "bytes=100-199" });
  check(response.$metadata.httpStatusCode === 206, "range status");
  check(bytes.equals(streamed.subarray(100, 200)), "range bytes differ");
});

await step("multipart upload with lib-storage Upload", async () => {
  const upload = new Upload({
    client,
    params: { Bucket, Key: "js/large.bin", Body: Readable.from(chunksOf(large, 1 * MiB)) },
    partSize: 5 * MiB,
    queueSize: 2,
  });
  const done = await upload.done();
  check(/^"[0-9a-f]{32}-3"$/.test(done.ETag), `multipart ETag ${done.ETag}`);
  const head = await client.send(new HeadObjectCommand({ Bucket, Key: "js/large.bin" }));
  check(head.ContentLength === large.length, `multipart length ${head.ContentLength}`);
  const { bytes } = await readBody("js/large.bin");
  check(sha256(bytes) === sha256(large), "multipart body differs");
});

await step("ListObjectsV2", async () => {
  const listing = await client.send(new ListObjectsV2Command({ Bucket, Prefix: "js/" }));
  const keys = (listing.Contents || []).map((item) => item.Key);
  const expected = ["js/buffer.bin", "js/large.bin", "js/stream.bin"];
  check(JSON.stringify(keys) === JSON.stringify(expected), `keys ${JSON.stringify(keys)}`);
  const sizes = Object.fromEntries(listing.Contents.map((item) => [item.Key, item.Size]));
  check(sizes["js/large.bin"] === large.length, "listed size of the multipart object");
});

await step("NoSuchKey surfaces as a typed error", async () => {
  try {
    await client.send(new GetObjectCommand({ Bucket, Key: "js/missing" }));
  } catch (error) {
    check(error.name === "NoSuchKey", `error name ${error.name}`);
    check(error.$metadata.httpStatusCode === 404, "status of NoSuchKey");
    return;
  }
  check(false, "GetObject of a missing key succeeded");
});

await step("DeleteObject and DeleteObjects", async () => {
  await client.send(new DeleteObjectCommand({ Bucket, Key: "js/buffer.bin" }));
  const result = await client.send(
    new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: "js/large.bin" }] } }),
  );
  check((result.Deleted || []).length === 1, `DeleteObjects ${JSON.stringify(result.Deleted)}`);
  const listing = await client.send(new ListObjectsV2Command({ Bucket, Prefix: "js/" }));
  const keys = (listing.Contents || []).map((item) => item.Key);
  check(JSON.stringify(keys) === JSON.stringify(["js/stream.bin"]), `after delete ${keys}`);
});

console.log(JSON.stringify({ kept_key: "js/stream.bin", kept_sha256: sha256(streamed) }));

function* chunksOf(buffer, size) {
  for (let offset = 0; offset < buffer.length; offset += size) {
    yield buffer.subarray(offset, offset + size);
  }
}
