"""Additions to the generated OpenAPI document (drf-spectacular post-processing hook): the problem+json error
responses and the API-Version header on every operation (NLGov /core/version-header, RFC 9457)."""

from __future__ import annotations

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalid_params": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "reason": {"type": "string"}}}},
    },
}
VERSION_HEADER = {"description": "The full version of the API (semantic versioning)",
                  "schema": {"type": "string", "example": "1.0.0"}}
ERRORS = {
    "400": "Invalid query parameters",
    "401": "The token is not valid, revoked or expired",
    "404": "Not found, or not visible to this viewer",
    "405": "Only GET, HEAD and OPTIONS",
    "429": "Too many requests (see Retry-After)",
    "500": "Internal server error",
}


def add_problems_and_version(result, generator, request, public):
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM
    components.setdefault("headers", {})["API-Version"] = VERSION_HEADER
    problem_ref = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for response in operation["responses"].values():
                response.setdefault("headers", {})["API-Version"] = {"$ref": "#/components/headers/API-Version"}
            for code, text in ERRORS.items():
                operation["responses"].setdefault(code, {
                    "description": text, "content": problem_ref,
                    "headers": {"API-Version": {"$ref": "#/components/headers/API-Version"}}})
    return result
