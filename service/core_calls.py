"""Every call the service makes into precepts itself, in one place.

The service is a thin shell: checking, compiling, building, rating and comparing are
done by the same functions the command line uses, so an answer is byte-identical to the
command's output. Posted text is checked in memory through `precepts.api`; the
rest still calls the modules the commands call, and keeping every call here lets them
move to `precepts.api` one by one.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from precepts.compiler.model import Framework
    from precepts.pipeline import Result
    from precepts.renderers.artefacts import Artefact

FRAMEWORK_SUFFIX = ".precepts"


class BadInput(Exception):
    """The request's content cannot be used; `problems` says why, for a person."""

    def __init__(self, detail: str, problems: list[str] | None = None, kind: str = "bad-input") -> None:
        super().__init__(detail)
        self.detail = detail
        self.problems = problems or []
        self.kind = kind


# ---- checking -------------------------------------------------------------------------------------


def check_file(path: Path) -> Result:
    from precepts.pipeline import check_path

    return check_path(path)


def framework_files(folder: Path) -> list[Path]:
    from precepts.pipeline import framework_files as found

    files, _ = found([folder])
    return files


def check_texts(files: Mapping[str, str], output_format: str = "json") -> tuple[str, int]:
    """Check posted framework files (name → text) in memory, as `precepts check` checks a
    folder holding them: every framework file in name order, includes resolved among them.
    Returns the report (as `check --format json` or `--format sarif` prints it) and the
    number of errors."""
    import precepts.api
    from precepts.core import reporting

    # Mapping files are only read by a comparison; check reads the framework files.
    result = precepts.api.check({name: files[name] for name in sorted(files) if name.endswith(FRAMEWORK_SUFFIX)})
    pairs = [(w.diagnostic, w.waiver.reason) for w in result.waived]
    if output_format == "sarif":
        return reporting.format_sarif(result.diagnostics, pairs), len(result.errors)
    return reporting.format_json(result.diagnostics, result.files, pairs, len(result.held_back)), len(result.errors)


def compile_text(files: Mapping[str, str], main: str) -> tuple[Framework | None, list[str]]:
    """The framework in posted text (for the live preview and the diff of texts), or its errors."""
    import precepts.api

    result = precepts.api.check(files, main=main)
    errors = [f"{d.span.file if d.span else main}:{d.span.line if d.span else 1}: {d.code} {d.message}"
              for d in result.errors]
    framework = result.framework
    if framework is None or errors:
        return None, errors or ["the text holds no framework"]
    return framework, []


# ---- building -------------------------------------------------------------------------------------


@dataclass
class BuiltFramework:
    framework: Framework
    path: str  # the file it was compiled from, as shown
    artefacts: dict[str, Artefact]  # path inside the framework's folder → artefact


@dataclass
class Build:
    frameworks: dict[str, BuiltFramework]
    files: dict[str, bytes] = field(default_factory=dict)


def build_frameworks(frameworks: list[Framework]) -> Build:
    """Every artefact of `precepts build` for these frameworks, in memory (raises
    precepts.renderers.build.UsageError when they cannot be built together)."""
    from precepts.renderers.build import make_build

    made = make_build(frameworks)
    built = {}
    for framework, artefacts in made.frameworks:
        prefix = f"{framework.id}/"
        built[framework.id] = BuiltFramework(
            framework, framework.file, {a.path.removeprefix(prefix): a for a in artefacts})
    return Build(built, made.files)


def usage_error() -> type[Exception]:
    from precepts.renderers.build import UsageError

    return UsageError


def rendered(framework: Framework) -> bytes:
    from precepts.renderers.compiled import render

    return render(framework).encode("utf-8")


def consultation_page(framework: Framework) -> str:
    from precepts.renderers.consultation.page import render_consultation

    return render_consultation(framework)


def build_at_revision(top: Path, folder: str, revision: str, output: Path) -> tuple[bool, str]:
    """`precepts build FOLDER` run on the tree exported at `revision`, from its top, as CI
    would run it on that commit: the files it writes are that version's, byte for byte.
    Returns (built, what the command said)."""
    tree = _export_tree(top, revision)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "precepts", "build", folder, "-o", str(output)],
            cwd=tree, capture_output=True, text=True, check=False, timeout=600,
        )
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    return done.returncode == 0, done.stderr


def model_at_revision(top: Path, revision: str, file: str) -> Framework | str:
    """The compiled model of FILE (from the repository's top) as committed at `revision`,
    named REV:FILE as `precepts diff REV:PATH` names it; or why it does not compile."""
    from dataclasses import replace

    tree = _export_tree(top, revision)
    try:
        result = check_file(tree / file)
        if result.framework is None or result.has_errors:
            return f"{file} at {revision[:12]} has errors"
        return replace(result.framework, file=f"{revision[:12]}:{file}")
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def _export_tree(top: Path, revision: str) -> Path:
    import io
    import tarfile

    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=top, capture_output=True,
                             check=True).stdout
    folder = Path(tempfile.mkdtemp(prefix="precepts-serve-revision-"))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tree:
        tree.extractall(folder, filter="data")
    (folder / ".git").mkdir(exist_ok=True)
    return folder


# ---- rating ---------------------------------------------------------------------------------------


def rate(framework: Framework, body: str, is_csv: bool, level: str | None,
         what_if: Framework | None, what_if_label: str, max_records: int) -> str:
    """The ratings document `precepts rate --format json` prints, for one posted input."""
    from precepts.ratings import output_json
    from precepts.ratings.documents import Loaded as LoadedInput
    from precepts.ratings.documents import as_document, parse_json, read_csv
    from precepts.ratings.gcpause import paused_gc
    from precepts.ratings.inputs import InputError
    from precepts.ratings.plan import PlanError
    from precepts.ratings.run import Rater
    from precepts.ratings.validation import Origins

    source = "request body"
    if is_csv and body.count("\n") > max_records + 1:
        raise BadInput(f"the CSV has more than {max_records} records, this server's limit; "
                       "send them in several requests", kind="too-many-records")
    try:
        with paused_gc():
            if is_csv:
                rater = Rater.for_framework(framework, level)
                loaded = read_csv(body, source, rater.plan)
            else:
                document = as_document(parse_json(body, source), source)
                units = document.get("units")
                if isinstance(units, list) and sum(
                        len(u.get("cases", [])) if isinstance(u, dict) and isinstance(u.get("cases"), list) else 0
                        for u in units) > max_records:
                    raise BadInput(f"the input has more than {max_records} case records, this server's limit; "
                                   "send them in several requests", kind="too-many-records")
                named = document.get("level")
                rater = Rater.for_framework(framework, level or (named if isinstance(named, str) else None))
                loaded = LoadedInput(document, Origins(), [source])
            results = rater.rate_loaded(loaded, Fraction(5))
            changes = None
            if what_if is not None:
                from precepts.ratings.whatif import changes_json, compare, overlay

                alternative = overlay(framework, what_if) if what_if.kind == "rules" else what_if
                other_rater = Rater.for_framework(alternative, rater.plan.level)
                import dataclasses

                document = dict(loaded.document)
                if "framework" in document and what_if.kind != "rules":
                    document["framework"] = alternative.id
                other = other_rater.rate_loaded(dataclasses.replace(loaded, document=document), Fraction(5))
                changes = changes_json(what_if_label, alternative,
                                       compare(results, other, rater.plan.scales, other_rater.plan.scales))
    except PlanError as error:
        raise BadInput(str(error), kind="bad-level") from None
    except InputError as error:
        raise BadInput(f"the input has {len(error.problems)} problem{'s' * (len(error.problems) != 1)}",
                       [str(p) for p in error.problems], kind="bad-rating-input") from None
    data = output_json.document(framework, rater.plan.level, results, rater.plan.scales, changes)
    return output_json.dumps(data)


# ---- comparing ------------------------------------------------------------------------------------


def diff(old: Framework, new: Framework, folders: list[Path], output_format: str) -> str:
    from precepts.changes.compare import change_report, render
    from precepts.changes.mapping import MappingError, mapping_for

    try:
        mapping = mapping_for(folders, old.id, new.id) if folders else None
        report = change_report(old, new, mapping)
    except MappingError as error:
        raise BadInput("a mapping file cannot be used for this comparison", list(error.problems),
                       kind="bad-mapping") from None
    return render(report, output_format)


# ---- the diagnostic catalogue ---------------------------------------------------------------------


def codes() -> list[dict[str, str]]:
    from precepts.core.codes import Code

    return [{"code": c.code, "name": c.readable_name, "severity": c.severity.value} for c in Code]


def explain(code: str) -> dict[str, str] | None:
    from precepts.core.codes import lookup

    entry = lookup(code)
    if entry is None:
        return None
    return {"code": entry.code, "name": entry.readable_name, "severity": entry.severity.value,
            "explanation": entry.explanation}


def version() -> str:
    from precepts import __version__

    return __version__
