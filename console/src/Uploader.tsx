import AwsS3 from "@uppy/aws-s3";
import Uppy from "@uppy/core";
import Dashboard from "@uppy/dashboard";
import "@uppy/core/css/style.min.css";
import "@uppy/dashboard/css/style.min.css";
import { useEffect, useRef, useState } from "react";

import { ConsoleApi } from "./api";
import { uploadKey } from "./files";

const MiB = 1024 * 1024;
// Files above this go up in parts (resumable, several at once); smaller ones in one PUT.
export const multipartThreshold = 32 * MiB;

// Parts of at least 8 MiB, and never more than S3's 10,000 parts.
export function partSize(fileSize: number): number {
  return Math.max(8 * MiB, Math.ceil(fileSize / 10000));
}

// Uppy's dashboard (drag and drop, file and folder pickers, progress, pause, resume, retry),
// uploading straight to the S3 endpoint: each S3 request is signed by the console API.
export function Uploader({
  api,
  bucket,
  prefix,
  onUploaded,
}: {
  api: ConsoleApi;
  bucket: string;
  prefix: string;
  onUploaded: () => void;
}) {
  const target = useRef<HTMLDivElement>(null);
  // Failed files and why, shown under the dashboard until they are retried or removed.
  const [failures, setFailures] = useState<Record<string, string>>({});
  const uploaded = useRef(onUploaded);
  uploaded.current = onUploaded;

  useEffect(() => {
    const uppy = new Uppy({ id: "cloudvault-upload", autoProceed: false })
      .use(Dashboard, {
        inline: true,
        target: target.current!,
        width: "100%",
        height: 420,
        fileManagerSelectionType: "both",
        proudlyDisplayPoweredByUppy: false,
        showRemoveButtonAfterComplete: false,
        note: `Files go to ${bucket}/${prefix}`,
      })
      .use(AwsS3, {
        signRequest: (request) => api.signUpload(bucket, request),
        shouldUseMultipart: (file) => (file.size ?? 0) > multipartThreshold,
        getChunkSize: (file) => partSize(file.size),
        generateObjectKey: (file) => uploadKey(prefix, file.name ?? "", file.meta.relativePath),
        limit: 4,
      });
    uppy.on("complete", () => uploaded.current());
    uppy.on("upload-error", (file, error) => {
      if (!file) return;
      const name = file.meta.relativePath || file.name || "a file";
      setFailures((shown) => ({ ...shown, [file.id]: `${name}: ${error.message}` }));
    });
    const forget = (id: string) =>
      setFailures((shown) => {
        const { [id]: _, ...rest } = shown;
        return rest;
      });
    uppy.on("upload-success", (file) => file && forget(file.id));
    uppy.on("file-removed", (file) => forget(file.id));
    uppy.on("upload-retry", (file) => file && forget(file.id));
    uppy.on("retry-all", () => setFailures({}));
    return () => uppy.destroy();
  }, [api, bucket, prefix]);

  const messages = Object.values(failures);
  return (
    <>
      <div ref={target} className="uploader" />
      {messages.length > 0 && (
        <div role="alert" className="error upload-failures">
          <p>Not uploaded (retry when the cause is fixed):</p>
          <ul>
            {messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
