"""Checks real responses against docs/openapi.yaml: the operation's response schema for the
status the server gave, with $refs into the document's components (JSON Schema 2020-12, as
OpenAPI 3.1 defines its schemas), validated by Debian's python3-jsonschema."""

import pathlib

import jsonschema
import yaml

SPEC_PATH = pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


class OpenApi:
    def __init__(self, path=SPEC_PATH):
        self.spec = yaml.safe_load(path.read_text())
        assert self.spec["openapi"].startswith("3.1"), "the checker reads OpenAPI 3.1 schemas"
        jsonschema.Draft202012Validator.check_schema({"$defs": self.spec["components"]["schemas"]})

    def _operation(self, method, path):
        """The operation whose path template matches `path` (relative to /_console/api)."""
        for template, item in self.spec["paths"].items():
            parts, wanted = template.strip("/").split("/"), path.strip("/").split("/")
            if len(parts) == len(wanted) and all(
                    p.startswith("{") or p == w for p, w in zip(parts, wanted)):
                if method.lower() in item:
                    return template, item[method.lower()]
        raise AssertionError(f"{method} {path} is not in docs/openapi.yaml")

    def _resolve(self, node):
        while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith(
                "#/components/responses/"):
            node = self.spec["components"]["responses"][node["$ref"].rsplit("/", 1)[1]]
        return node

    def check(self, method, path, status, body):
        """Raises when `body` (parsed JSON) does not match the documented response."""
        template, operation = self._operation(method, path.split("?", 1)[0])
        responses = operation["responses"]
        response = responses.get(str(status))
        assert response is not None, f"{method} {template} does not document status {status}"
        response = self._resolve(response)
        schema = response["content"]["application/json"]["schema"]
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.spec["components"],
            **schema,
        }
        jsonschema.Draft202012Validator(
            document, format_checker=jsonschema.FormatChecker()).validate(body)
        return template
