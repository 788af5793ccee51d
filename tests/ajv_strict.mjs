// Compile JSON Schemas the way a strict JavaScript consumer would: Ajv 8 for draft
// 2020-12 with `strict: true` and union types allowed, counting every warning Ajv logs.
//
// usage: node ajv_strict.mjs AJV_DIR SCHEMA.json[::DOCUMENT.json...]...
// AJV_DIR is the folder `npm install --prefix AJV_DIR ajv@8` installed into. Documents
// named after a schema (joined by ::) are validated against it. Prints one JSON object:
// {"ajv": version, "results": [{"file", "id", "errors", "warnings", "invalid": [{"document", "errors"}]}]}.
// Each schema stands alone (none refers to another), so each gets a fresh Ajv.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [ajvDir, ...files] = process.argv.slice(2);
const require = createRequire(join(ajvDir, "node_modules", "noop.js"));
const Ajv2020 = require("ajv/dist/2020").default;
const version = require("ajv/package.json").version;

const STRICT = { strict: true, allowUnionTypes: true };
// The same checks, logged instead of thrown, to list every problem and not just the first.
const LOGGED = { strict: "log", strictTypes: "log", strictTuples: "log", strictRequired: "log", allowUnionTypes: true };

function compile(schema, options) {
  const warnings = [];
  const logger = {
    log: () => {},
    warn: (...args) => warnings.push(args.map(String).join(" ")),
    error: (...args) => warnings.push(args.map(String).join(" ")),
  };
  // A fresh instance for each schema: the same $id may come from two fixture builds.
  const ajv = new Ajv2020({ ...options, logger });
  const errors = [];
  let validate = null;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    errors.push(String(error?.message ?? error));
  }
  return { errors, warnings, validate };
}

const results = [];
for (const argument of files) {
  const [file, ...documents] = argument.split("::");
  let schema;
  try {
    schema = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    results.push({ file, id: null, errors: [String(error?.message ?? error)], warnings: [], invalid: [] });
    continue;
  }
  const strict = compile(schema, STRICT);
  const all = strict.errors.length ? compile(schema, LOGGED) : { errors: [], warnings: [] };
  const invalid = [];
  for (const document of strict.validate ? documents : []) {
    if (!strict.validate(JSON.parse(readFileSync(document, "utf8")))) {
      invalid.push({ document, errors: strict.validate.errors.slice(0, 5) });
    }
  }
  results.push({
    file,
    id: schema.$id ?? null,
    errors: strict.errors,
    warnings: [...new Set([...strict.warnings, ...all.warnings, ...all.errors])],
    invalid,
  });
}
process.stdout.write(JSON.stringify({ ajv: version, results }) + "\n");
