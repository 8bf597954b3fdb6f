import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import { ApiError, ConsoleApi } from "./api";
import { SignIn, signInErrorMessage } from "./SignIn";

describe("the sign-in form", () => {
  it("says how long to wait after too many failed sign-ins", async () => {
    const fetchImpl = async () =>
      new Response(
        JSON.stringify({
          error: {
            code: "TooManySignIns",
            message: "Too many failed sign-ins; try again in 8 s.",
            retryAfterSeconds: 8,
          },
        }),
        { status: 429, headers: { "Retry-After": "8" } },
      );
    const caught = await new ConsoleApi(fetchImpl).signIn("AK", "guess").catch((e) => e);
    expect(caught).toMatchObject({ status: 429, code: "TooManySignIns", retryAfterSeconds: 8 });
    expect(signInErrorMessage(caught)).toBe("Too many failed sign-ins; try again in 8 s.");
    expect(signInErrorMessage(new ApiError(429, "TooManySignIns", "x"))).toBe(
      "Too many failed sign-ins; try again later.",
    );
  });

  it("shows the server's message for other failures, and a network failure as such", () => {
    expect(signInErrorMessage(new ApiError(401, "InvalidCredentials", "Check both."))).toBe(
      "Check both.",
    );
    expect(signInErrorMessage(new TypeError("Failed to fetch"))).toBe(
      "The server could not be reached.",
    );
  });

  it("renders a labelled form", () => {
    const html = renderToStaticMarkup(
      <SignIn api={new ConsoleApi()} onSignedIn={() => undefined} />,
    );
    expect(html).toContain('aria-label="Sign in"');
    expect(html).not.toContain('role="alert"');
  });
});
