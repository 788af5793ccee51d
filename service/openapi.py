"""The OpenAPI 3.1 document of the service: written here, committed as openapi.json,
served at /openapi.json. tests/test_service_openapi.py fails when the app's routes, this
document and the committed file disagree, and runs schemathesis over it.

Regenerate the file after changing the API:
    python -c "from precepts.service.openapi import write; write()"
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FILE = Path(__file__).parent / "openapi.json"
PROBLEM = "application/problem+json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problems(*statuses: int) -> dict[str, Any]:
    said = {400: "The body cannot be read (not UTF-8, not JSON).",
            401: "Editing needs the bearer token.",
            403: "A cross-site request, refused.",
            404: "No such framework, artefact, revision or code.",
            409: "The file changed since it was read.",
            413: "The body (or its number of records) is over the server's limit.",
            415: "The body is not in a format this endpoint takes.",
            422: "The input cannot be used; the detail says why.",
            428: "Say which version was edited, with If-Match.",
            503: "The frameworks are still loading, or the work took longer than the time limit."}
    return {str(s): {"description": said[s], "content": {PROBLEM: {"schema": _ref("Problem")}}} for s in statuses}


def _json(description: str, schema: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema or {"type": "object"}}},
            **more}


REFERENCE = {"name": "reference", "in": "path", "required": True,
             "description": "A framework id, or id@revision for the version committed at a git revision "
                            "(a branch, tag or commit id).",
             "schema": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]*(@[A-Za-z0-9_][A-Za-z0-9._~^-]*)?$",
                        "maxLength": 200}}
ETAG = {"ETag": {"description": "The sha256 of the body, a strong validator.", "schema": {"type": "string"}},
        "Cache-Control": {"description": "no-cache for the working copy; immutable for a commit id.",
                          "schema": {"type": "string"}}}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}
NOT_MODIFIED = {"304": {"description": "The client's copy (If-None-Match) is current.", "headers": ETAG}}


def _schemas() -> dict[str, Any]:
    return {
        "Problem": {
            "type": "object", "required": ["type", "title", "status", "detail"],
            "description": "RFC 9457 problem details.",
            "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                           "detail": {"type": "string"},
                           "problems": {"type": "array", "items": {"type": "string"}},
                           "errors": {"type": "array", "items": {"type": "string"}}},
        },
        "FrameworkList": {
            "type": "object", "required": ["frameworks", "failing"],
            "properties": {
                "frameworks": {"type": "array", "items": {
                    "type": "object",
                    "required": ["id", "title", "version", "status", "levels", "sha256", "links", "errors", "stale"],
                    "properties": {
                        "id": {"type": "string"}, "title": {"type": "string"},
                        "version": {"type": ["string", "null"]}, "status": {"type": ["string", "null"]},
                        "levels": {"type": "array", "items": {"type": "string"}},
                        "file": {"type": "string"},
                        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "stale": {"type": "boolean", "description": "Served at its last good version: the "
                                                                    "file has errors now."},
                        "errors": {"type": "array", "items": {"type": "string"}},
                        "links": {"type": "object", "additionalProperties": {"type": "string"}}}}},
                "failing": {"type": "array", "items": {"type": "object"}},
                "generation": {"type": "integer"}},
        },
        "Diagnostics": {"type": "object", "required": ["format", "format_version", "summary", "diagnostics"],
                        "description": "As `precepts check --format json` prints it (format precepts-diagnostics).",
                        "properties": {"format": {"const": "precepts-diagnostics"},
                                       "format_version": {"type": "integer"},
                                       "summary": {"type": "object"}, "diagnostics": {"type": "array"}}},
        "Sarif": {"type": "object", "required": ["version", "runs"], "description": "SARIF 2.1.0."},
        "Ratings": {"type": "object", "required": ["format", "units"],
                    "description": "As `precepts rate --format json` prints it (format precepts-ratings)."},
        "ChangeReport": {"type": "object", "required": ["format"],
                         "description": "As `precepts diff --format json` prints it (format precepts-diff)."},
        "Files": {
            "type": "object",
            "description": "Framework text: one file as text, or several (so that includes resolve) as files.",
            "properties": {
                "text": {"type": "string"},
                "name": {"type": "string", "description": "The file's name, as reports show it."},
                "files": {"type": "object", "additionalProperties": {"type": "string"},
                          "description": "Relative file name (*.precepts, or a mapping *.yaml) → its text."}},
        },
        "Side": {
            "description": "A framework by id (and revision), or as text.",
            "oneOf": [
                {"type": "object", "required": ["id"],
                 "properties": {"id": {"type": "string"}, "revision": {"type": "string"}}},
                _ref("Files")],
        },
        "Code": {"type": "object", "required": ["code", "name", "severity"],
                 "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                "severity": {"enum": ["error", "warning", "info"]},
                                "explanation": {"type": "string"}}},
        "Source": {"type": "object", "required": ["id", "path", "text", "sha256", "includes"],
                   "properties": {"id": {"type": "string"}, "path": {"type": "string"}, "text": {"type": "string"},
                                  "sha256": {"type": "string"}, "head": {"type": ["string", "null"]},
                                  "includes": {"type": "object", "additionalProperties": {"type": "string"}}}},
    }


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/healthz": {"get": {"summary": "Liveness: the process answers.", "operationId": "healthz",
                             "responses": {"200": _json("Alive.")}}},
        "/readyz": {"get": {"summary": "Readiness: every framework has loaded.", "operationId": "readyz",
                            "responses": {"200": _json("Ready."), "503": _json("Not ready; the body says why.")}}},
        "/metrics": {"get": {"summary": "Prometheus metrics (text format 0.0.4).", "operationId": "metrics",
                             "responses": {"200": {"description": "Metrics.",
                                                   "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
        "/openapi.json": {"get": {"summary": "This document.", "operationId": "openapi",
                                  "responses": {"200": _json("The OpenAPI document.")}}},
        "/v1/frameworks": {"get": {
            "summary": "Every framework: id, title, version, status, levels, sha256 of its compiled JSON, links; "
                       "and the files that do not compile.",
            "operationId": "listFrameworks",
            "responses": {"200": _json("The frameworks.", _ref("FrameworkList")), **_problems(503)}}},
        "/v1/frameworks/{reference}": {"get": {
            "summary": "The compiled framework, byte-identical to `precepts build`'s framework.json.",
            "operationId": "getFramework", "parameters": [REFERENCE, IF_NONE_MATCH],
            "responses": {"200": _json("The compiled framework.", headers=ETAG), **NOT_MODIFIED,
                          **_problems(404, 422, 503)}}},
        "/v1/frameworks/{reference}/versions": {"get": {
            "summary": "The commits (with their tags) that changed the framework's file, newest first.",
            "operationId": "listVersions", "parameters": [REFERENCE],
            "responses": {"200": _json("The versions."), **_problems(404, 503)}}},
        "/v1/frameworks/{reference}/{artefact}": {"get": {
            "summary": "One artefact `precepts build` publishes for the framework, at its path in the "
                       "framework's build folder (it may contain '/'), byte-identical to build's file: "
                       "consultation.html, LEVEL/rating-input.schema.json, LEVEL/case-assessment.xlsx, ... "
                       "(GET /v1/frameworks lists them under links).",
            "operationId": "getArtefact",
            "parameters": [REFERENCE, {"name": "artefact", "in": "path", "required": True,
                                       "schema": {"type": "string", "maxLength": 300}}, IF_NONE_MATCH],
            "responses": {"200": {"description": "The artefact, with its media type.", "headers": ETAG,
                                  "content": {"application/json": {"schema": {}},
                                              "application/schema+json": {"schema": {}},
                                              "text/html": {"schema": {"type": "string"}},
                                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
                                                  {"schema": {"type": "string", "format": "binary"}}}},
                          **NOT_MODIFIED, **_problems(404, 422, 503)}}},
        "/v1/frameworks/{reference}/rate": {"post": {
            "summary": "Rate units: the same document as `precepts rate --format json`.",
            "operationId": "rate",
            "parameters": [REFERENCE,
                           {"name": "level", "in": "query", "required": False, "schema": {"type": "string"}},
                           {"name": "what_if", "in": "query", "required": False,
                            "description": "Another framework (id or id@revision), or a rules file's id, to rate "
                                           "the same input under and report what changes.",
                            "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/csv": {"schema": {"type": "string"}}}},
            "responses": {"200": _json("The ratings.", _ref("Ratings")),
                          **_problems(400, 404, 413, 415, 422, 503)}}},
        "/v1/schemas/{name}": {"get": {
            "summary": "A format schema, as build writes it in schemas/.", "operationId": "getSchema",
            "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}},
                           IF_NONE_MATCH],
            "responses": {"200": {"description": "The schema.", "headers": ETAG,
                                  "content": {"application/schema+json": {"schema": {"type": "object"}}}},
                          **NOT_MODIFIED, **_problems(404, 503)}}},
        "/v1/codes": {"get": {"summary": "The diagnostic catalogue.", "operationId": "listCodes",
                              "responses": {"200": _json("Every code.", {
                                  "type": "object", "required": ["codes"],
                                  "properties": {"codes": {"type": "array", "items": _ref("Code")}}})}}},
        "/v1/codes/{code}": {"get": {
            "summary": "A code's explanation, as `precepts explain CODE` prints it.", "operationId": "getCode",
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                            "description": "A code such as N004, or its name such as too-many-prompts."}],
            "responses": {"200": _json("The code.", _ref("Code")), **_problems(404)}}},
        "/v1/check": {"post": {
            "summary": "Check framework text: the same document as `precepts check --format json`, or SARIF "
                       "when asked with Accept: application/sarif+json. Findings are a 200.",
            "operationId": "check",
            "parameters": [{"name": "name", "in": "query", "required": False, "schema": {"type": "string"},
                            "description": "For a text/plain body: the file name reports show."}],
            "requestBody": {"required": True, "content": {
                "text/plain": {"schema": {"type": "string"}},
                "application/json": {"schema": _ref("Files")}}},
            "responses": {"200": {"description": "The findings.", "content": {
                "application/json": {"schema": _ref("Diagnostics")},
                "application/sarif+json": {"schema": _ref("Sarif")}}},
                **_problems(400, 413, 415, 422, 503)}}},
        "/v1/diff": {"post": {
            "summary": "What changed between two frameworks: as `precepts diff --format json`, or the HTML "
                       "redline with Accept: text/html.",
            "operationId": "diff",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["old", "new"],
                "properties": {"old": _ref("Side"), "new": _ref("Side")}}}}},
            "responses": {"200": {"description": "The change report.", "content": {
                "application/json": {"schema": _ref("ChangeReport")},
                "text/html": {"schema": {"type": "string"}}}},
                **_problems(400, 404, 413, 415, 422, 503)}}},
        # ---- only with --edit ----
        "/edit/{reference}": {"get": {
            "summary": "The authoring page (with --edit).", "operationId": "editPage",
            "parameters": [REFERENCE],
            "responses": {"200": {"description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}},
                          **_problems(401, 403, 404, 503)}}},
        "/v1/frameworks/{reference}/source": {
            "get": {"summary": "The framework's source text, its includes and its text at git HEAD (with --edit).",
                    "operationId": "getSource", "parameters": [REFERENCE],
                    "responses": {"200": _json("The source.", _ref("Source"), headers=ETAG),
                                  **_problems(401, 403, 404, 503)}},
            "put": {"summary": "Save the framework's source, atomically, only if the file is still the version "
                               "edited (If-Match: its sha256); 409 with both versions otherwise (with --edit).",
                    "operationId": "saveSource",
                    "parameters": [REFERENCE, {"name": "If-Match", "in": "header", "required": False,
                                               "schema": {"type": "string"}}],
                    "requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string"}}}},
                    "responses": {"200": _json("Saved; the new sha256."),
                                  **_problems(400, 401, 403, 404, 409, 413, 415, 422, 428, 503)}}},
        "/v1/preview": {"post": {
            "summary": "The consultation page for framework text, as build would publish it (with --edit).",
            "operationId": "preview",
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Files")}}},
            "responses": {"200": {"description": "The page.", "content": {"text/html": {"schema": {"type": "string"}}}},
                          **_problems(400, 413, 415, 422, 503)}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "precepts", "version": "1",
                 "description": "Check, rate, compare and publish inspection standards frameworks over HTTP "
                                "(`precepts serve`). Errors are RFC 9457 problem details."},
        "paths": paths,
        "components": {"schemas": _schemas()},
    }


def render() -> bytes:
    return (json.dumps(document(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@cache
def document_bytes() -> bytes:
    """The committed document: what clients were promised."""
    return FILE.read_bytes()


def write() -> None:
    FILE.write_bytes(render())
