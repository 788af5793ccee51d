// Validate a case assessment record against the schema `precepts build` publishes, then
// read a ratings document (`precepts rate --format json`, format version 2).
//
//   npm install ajv@8
//   node validate.mjs SCHEMA RECORD RATINGS
//
// SCHEMA is BUILD/FRAMEWORK/LEVEL/assessment-record.schema.json from a build, RECORD an
// inspector's record, RATINGS the output of `precepts rate ... --format json`. The schemas
// are JSON Schema 2020-12, so the import is ajv/dist/2020; they compile in strict mode.
// Exits 1 when the record is invalid.
import Ajv2020 from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

function validateRecord(schemaPath, recordPath) {
  const schema = readJson(schemaPath);
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  const validate = ajv.compile(schema);
  if (validate(readJson(recordPath))) {
    console.log(`${basename(recordPath)}: valid against ${schema.$id}`);
    return true;
  }
  for (const error of validate.errors) {
    console.log(`${basename(recordPath)}: ${error.instancePath || "(the record)"}: ${error.message}`);
  }
  return false;
}

// A band from its numbers, not by parsing its published text.
function bandWords(band) {
  const unit = band.unit === "percent" ? "%" : " points";
  if (band.lower === null) return `${band.upper_inclusive ? "up to" : "below"} ${band.upper}${unit}`;
  if (band.upper === null) return `${band.lower}${unit} or more`;
  return `${band.lower} to ${band.upper}${unit}`;
}

function ratingWords(rating) {
  if (rating.status === "rated") return rating.label;
  if (rating.status === "undetermined") return `undetermined: ${rating.possible.join(" or ")}`;
  return rating.status;
}

function readRatings(path) {
  const document = readJson(path);
  if (document.format !== "precepts-ratings" || document.format_version !== 2) {
    throw new Error(`${path}: not precepts-ratings version 2`);
  }
  for (const unit of document.units) {
    const { standards, by_status: byStatus } = unit.counts;
    console.log(`${unit.unit} (${unit.level}): ${byStatus.rated} of ${standards} standards rated`);
    for (const standard of unit.standards) {
      console.log(`  ${standard.number} ${standard.heading}: ${ratingWords(standard)}`);
      for (const question of standard.questions) {
        if (question.band !== null) {
          console.log(`    ${question.number}: ${question.percentage.toFixed(2)}% in band ${bandWords(question.band)}`);
        }
      }
    }
    for (const composite of unit.composites) console.log(`  overall (${composite.id}): ${ratingWords(composite)}`);
    for (const flag of unit.panel_flags) {
      if (flag.kind === "near-boundary") {
        const distance = (flag.distance >= 0 ? "+" : "") + flag.distance.toFixed(2);
        console.log(`  panel: ${flag.question} is ${distance} points from ${flag.boundary.toFixed(2)}%`);
      }
    }
  }
}

const [schemaPath, recordPath, ratingsPath] = process.argv.slice(2);
if (!ratingsPath) {
  console.error("usage: node validate.mjs SCHEMA RECORD RATINGS");
  process.exit(2);
}
const valid = validateRecord(schemaPath, recordPath);
readRatings(ratingsPath);
process.exit(valid ? 0 : 1);
