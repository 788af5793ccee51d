"""The public Python API (precepts.api, re-exported by `precepts`): each function on the
shipped frameworks and fixtures, in-memory files with an include, and bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import FRAMEWORK_2021, TESTS, invoke

import precepts
from precepts.ratings.inputs import InputError

ROOT = TESTS.parent
FIXTURE_2018 = TESTS / "fixtures" / "ratings" / "hmip-probation-2018.precepts"
FRAMEWORK_2017 = ROOT / "frameworks" / "hmip-probation-2017-draft.precepts"
SHARED_RULES = ROOT / "frameworks" / "shared" / "hmip-case-ratings.precepts"

SMALL = """\
framework small
title: A small framework
include: rules/bands.precepts
level unit: Unit
attribute case-type: community, post-custody
domain 1 Domain one
  at: unit
  standard 1.1 Planning
    text: Planning is good.
    rated: from cases using results
    question 1.1.1 Is planning good?
      a) Is the plan written?
"""
BANDS = """\
rules bands
scale rating: Rating
  grade inadequate "Inadequate"
  grade good "Good"
banding results: Results
  scale: rating
  rounding: half up to whole percent
  band below 50% gives inadequate
  band 50% and above gives good
"""


def provider() -> dict[str, Any]:
    answers: dict[str, Any] = {q: {"sufficient": 40, "inspected": 50} for q in ("2.1.1", "2.1.2", "2.1.3")}
    answers |= {q: {"percentage": 70} for q in ("2.2.1", "2.2.2", "2.2.3", "2.4.2", "2.4.3")}
    answers |= {"2.3.1": {"sufficient": 45, "inspected": 50}, "2.3.2": {"sufficient": 41, "inspected": 50},
                "2.3.3": {"sufficient": 36, "inspected": 50}, "2.4.1": {"percentage": 55}}
    answers |= {q: {"percentage": 85} for q in ("3.1.1", "3.1.2", "3.2.1", "3.2.2", "3.2.3", "3.2.4")}
    return {"unit": "Example NPS division", "attributes": {"provider": "nps"},
            "standards": {"1.1": "good", "1.2": "good", "1.3": "requires-improvement", "1.4": "good"},
            "questions": answers}


def in_memory() -> dict[str, str]:
    """The 2021 framework and the shared rules it includes, as an editor would hold them."""
    return {
        "frameworks/hmip-adult-2021.precepts": FRAMEWORK_2021.read_text(encoding="utf-8"),
        "frameworks/shared/hmip-case-ratings.precepts": SHARED_RULES.read_text(encoding="utf-8"),
    }


# ---- check --------------------------------------------------------------------------------------------


def test_check_a_file_agrees_with_the_command_line() -> None:
    result = precepts.check(FRAMEWORK_2021)
    assert result.files == ("frameworks/hmip-adult-2021.precepts",)
    assert not result.has_errors and not result.failed()
    assert result.framework is not None and result.framework.id == "hmip-adult-2021"
    shown = json.loads(invoke("check", "--format", "json", FRAMEWORK_2021).stdout)
    assert sorted(json.dumps(d.as_dict()) for d in result.diagnostics) == sorted(map(json.dumps, shown["diagnostics"]))
    assert len(result.waived) == shown["summary"]["waived"]


def test_check_a_folder_checks_every_framework_and_rules_file() -> None:
    result = precepts.check(ROOT / "frameworks")
    assert len(result.files) == 4
    assert {f.id for f in result.frameworks} >= {"hmip-adult-2021", "hmip-probation-2017-draft"}
    assert any(model.kind == "rules" for model in result.models)


def test_check_in_memory_files_resolves_the_include_among_them() -> None:
    files = in_memory()
    result = precepts.check(files, main="frameworks/hmip-adult-2021.precepts")
    on_disk = precepts.check(FRAMEWORK_2021)
    assert result.files == ("frameworks/hmip-adult-2021.precepts",)
    assert result.diagnostics == on_disk.diagnostics
    assert set(result.sources) == set(files)
    assert result.framework is not None and result.framework.sha256 == on_disk.framework.sha256  # type: ignore[union-attr]


CHECK_CASES = sorted(p.parent for p in (TESTS / "fixtures" / "checks").glob("*/*/main.precepts"))


@pytest.mark.parametrize("case", CHECK_CASES, ids=[f"{c.parent.name}-{c.name}" for c in CHECK_CASES])
def test_check_in_memory_finds_what_checking_the_files_on_disk_finds(case: Path) -> None:
    """Every check fixture, its included files too, read from memory instead of the disk."""
    files = {p.relative_to(case).as_posix(): p.read_bytes() for p in case.rglob("*") if p.is_file()}
    in_memory = precepts.check(files, main="main.precepts")
    on_disk = precepts.check(case / "main.precepts")
    shown = on_disk.files[0].removesuffix("main.precepts")
    outside = re.compile(r'reaches outside the project folder [^"]+')
    expected = sorted(outside.sub("reaches outside the files given", json.dumps(d.as_dict()).replace(shown, ""))
                      for d in on_disk.diagnostics)
    assert sorted(json.dumps(d.as_dict()) for d in in_memory.diagnostics) == expected
    assert len(in_memory.held_back) == len(on_disk.held_back)
    assert len(in_memory.waived) == len(on_disk.waived)


def test_check_in_memory_reports_a_missing_include_with_its_place() -> None:
    files = in_memory()
    del files["frameworks/shared/hmip-case-ratings.precepts"]
    result = precepts.check(files)
    assert result.has_errors
    (missing,) = [d for d in result.diagnostics if d.code == "S005"]
    assert missing.message == "no such file: frameworks/shared/hmip-case-ratings.precepts"
    assert missing.span is not None and missing.span.file == "frameworks/hmip-adult-2021.precepts"


def test_check_in_memory_includes_stay_among_the_files_given(tmp_path: Path) -> None:
    files = {"small.precepts": SMALL.replace("rules/bands.precepts", "../outside.precepts")}
    result = precepts.check(files)
    assert [d.message for d in result.diagnostics if d.code == "S005"] == [
        "include '../outside.precepts' reaches outside the files given"]


def test_check_in_memory_with_a_small_rules_include() -> None:
    files = {"small.precepts": SMALL, "rules/bands.precepts": BANDS}
    result = precepts.check(files, main="small.precepts")
    assert not any(d.code.startswith("S") for d in result.diagnostics), result.diagnostics
    assert "rules/bands.precepts" in result.sources
    assert precepts.check(files, main="small.precepts").diagnostics == result.diagnostics


def test_check_in_memory_reports_an_include_cycle_by_name() -> None:
    looping = BANDS.replace("rules bands\n", "rules bands\ninclude: ../rules/bands.precepts\n")
    files = {"small.precepts": SMALL, "rules/bands.precepts": looping}
    messages = [d.message for d in precepts.check(files, main="small.precepts").diagnostics if d.code == "S005"]
    assert messages == ["include cycle: rules/bands.precepts → rules/bands.precepts"]


def test_check_in_memory_bytes_are_read_as_files_are() -> None:
    result = precepts.check({"bad.precepts": b"framework x\n\xff\n"})
    assert [d.code for d in result.diagnostics] == ["S001"]
    assert "is not UTF-8 text" in result.diagnostics[0].message


def test_check_in_memory_checks_the_framework_files_as_a_folder_would() -> None:
    files = {"z.precepts": "framework z\n  nonsense\n", "notes.txt": "not a framework", "a.precepts": SMALL,
             "rules/bands.precepts": BANDS}
    assert precepts.check(files).files == ("a.precepts", "rules/bands.precepts", "z.precepts")
    nothing = precepts.check({"notes.txt": "not a framework"})
    assert nothing.files == ()
    assert [d.message for d in nothing.diagnostics] == ["no .precepts files in the files given"]


def test_check_a_missing_path_is_diagnostics_not_an_exception() -> None:
    result = precepts.check("nowhere.precepts")
    assert result.files == ()
    assert [d.code for d in result.diagnostics] == ["S001"]
    assert "no such file or folder: nowhere.precepts" in result.diagnostics[0].message


def test_check_select_and_ignore_take_codes_prefixes_and_names() -> None:
    everything = precepts.check(FRAMEWORK_2021).diagnostics
    assert everything, "the 2021 framework has findings to select from"
    code = everything[0].code
    assert {d.code for d in precepts.check(FRAMEWORK_2021, select=[code]).diagnostics} == {code}
    assert code not in {d.code for d in precepts.check(FRAMEWORK_2021, ignore=[everything[0].name]).diagnostics}
    with pytest.raises(precepts.UnknownCode, match="no diagnostic code or name 'X999'") as raised:
        precepts.check(FRAMEWORK_2021, ignore=["X999"])
    assert raised.value.option == "ignore"


# ---- load and compile ---------------------------------------------------------------------------------


def test_load_gives_the_model() -> None:
    framework = precepts.load(FRAMEWORK_2021)
    assert (framework.id, framework.kind) == ("hmip-adult-2021", "framework")
    assert precepts.load(in_memory(), main="frameworks/hmip-adult-2021.precepts").sha256 == framework.sha256


def test_load_a_framework_with_errors_raises_with_its_diagnostics() -> None:
    with pytest.raises(precepts.FrameworkError) as raised:
        precepts.load({"x.precepts": "framework x\n  nonsense here\n"})
    (result,) = raised.value.results
    assert result.errors and result.files == ("x.precepts",)
    assert "x.precepts:" in raised.value.report()
    with pytest.raises(precepts.FrameworkError):
        precepts.load("nowhere.precepts")


def test_compile_is_byte_for_byte_the_command_line() -> None:
    text = precepts.compile(FRAMEWORK_2021)
    assert text == invoke("compile", FRAMEWORK_2021).stdout
    assert json.loads(text)["framework"]["id"] == "hmip-adult-2021"
    assert precepts.compile(precepts.load(FRAMEWORK_2021)) == text
    assert precepts.compile(in_memory(), main="frameworks/hmip-adult-2021.precepts") == text


# ---- rate ---------------------------------------------------------------------------------------------


def test_rate_a_document_in_memory_and_files_alike(tmp_path: Path) -> None:
    document = {"format": "precepts-rating-input", "format_version": 1, "units": [provider()]}
    ratings = precepts.rate(FIXTURE_2018, document)
    data = ratings.document()
    assert (data["format"], data["level"]) == ("precepts-ratings", "provider")
    (unit,) = data["units"]
    assert unit["composites"][0]["grade"] == "good"
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    from_file = precepts.rate(FIXTURE_2018, [path])
    assert from_file.json() == invoke("rate", FIXTURE_2018, "--input", path, "--format", "json").stdout
    assert from_file.text() == invoke("rate", FIXTURE_2018, "--input", path).stdout
    assert "Ratings under hmip-probation-2018" in ratings.text(explain=False)


def test_rate_what_if_another_version(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"units": [provider()]}), encoding="utf-8")
    ratings = precepts.rate(FIXTURE_2018, path, what_if=FIXTURE_2018)
    assert ratings.what_if is not None and ratings.what_if.changes == ()
    shown = invoke("rate", FIXTURE_2018, "--input", path, "--what-if", FIXTURE_2018, "--format", "json").stdout
    assert ratings.json() == shown


def test_rate_texts_in_memory_as_files(tmp_path: Path) -> None:
    csv = "unit,case,case-type,2.4.1\nPDU,C1,community,yes\nPDU,C2,community,no\n"
    path = tmp_path / "cases.csv"
    path.write_text(csv, encoding="utf-8")
    from_text = precepts.rate(FRAMEWORK_2021, precepts.InputText(csv, str(path), csv=True))
    assert from_text.json() == invoke("rate", FRAMEWORK_2021, "--input", path, "--format", "json").stdout
    document = json.dumps({"units": [provider()]})
    assert precepts.rate(FIXTURE_2018, [precepts.InputText(document)]).units[0].unit == "Example NPS division"
    with pytest.raises(InputError) as raised:
        precepts.rate(FIXTURE_2018, precepts.InputText("{not json", "request body"))
    assert "request body" in str(raised.value.problems[0])


def test_rate_bad_input_raises_input_error() -> None:
    with pytest.raises(InputError):
        precepts.rate(FIXTURE_2018, {"units": [{"unit": "x", "standards": {"9.9": "good"}}]})


def test_rate_a_framework_with_errors_raises() -> None:
    with pytest.raises(precepts.FrameworkError):
        precepts.rate({"x.precepts": "framework x\n  nonsense\n"}, {"units": []})  # type: ignore[arg-type]


# ---- diff ---------------------------------------------------------------------------------------------


def test_diff_finds_the_shipped_mapping_and_renders_as_the_command_line() -> None:
    changes = precepts.diff(FRAMEWORK_2017, FRAMEWORK_2021)
    assert changes.mapping is not None and changes.mapping.path.endswith("hmip-2017-draft-to-2021.yaml")
    for output_format in ("text", "json"):
        shown = invoke("diff", FRAMEWORK_2017, FRAMEWORK_2021, "--format", output_format).stdout
        assert changes.render(output_format) == shown
    assert precepts.diff(FRAMEWORK_2017, FRAMEWORK_2021, no_mapping=True).mapping is None


def test_diff_a_framework_with_itself_changes_nothing() -> None:
    framework = precepts.load(FRAMEWORK_2021)
    report = precepts.diff(framework, framework).report
    assert not any(report.summary(kind).get("added") for kind in ("standard", "question", "prompt"))


# ---- build --------------------------------------------------------------------------------------------


def test_build_publishes_then_is_up_to_date(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "frameworks" / "rules").mkdir(parents=True)
    (project / "frameworks" / "small.precepts").write_text(SMALL, encoding="utf-8")
    (project / "frameworks" / "rules" / "bands.precepts").write_text(
        BANDS, encoding="utf-8")
    output = tmp_path / "out"
    checked = precepts.build(project / "frameworks", output, check_only=True)
    assert not checked.up_to_date and not output.exists()
    built = precepts.build(project / "frameworks", output)
    assert [f.id for f, _ in built.frameworks] == ["small"]
    assert (output / "small" / "framework.json").is_file()
    assert set(built.files) == {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    assert precepts.build(project / "frameworks", output, check_only=True).up_to_date


def test_build_errors(tmp_path: Path) -> None:
    with pytest.raises(precepts.BuildError, match="no such file or folder"):
        precepts.build(tmp_path / "nowhere", tmp_path / "out")
    broken = tmp_path / "broken.precepts"
    broken.write_text("framework broken\n  nonsense\n", encoding="utf-8")
    with pytest.raises(precepts.FrameworkError) as raised:
        precepts.build(broken, tmp_path / "out")
    assert raised.value.results[0].errors
    assert not (tmp_path / "out").exists()


# ---- the package ----------------------------------------------------------------------------------------


def test_the_api_is_loaded_on_first_use_only() -> None:
    script = ("import sys, precepts.core.codes; assert 'precepts.api' not in sys.modules; "
              "import precepts; precepts.check; assert 'precepts.api' in sys.modules; "
              "assert 'precepts.ratings' not in sys.modules and 'precepts.renderers' not in sys.modules")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
    assert set(precepts.__all__) >= {"load", "check", "compile", "rate", "diff", "build"}
    with pytest.raises(AttributeError):
        precepts.nothing_here  # noqa: B018


def readme_python_examples() -> list[str]:
    """The Python examples of the README and the documentation site."""
    from support import documentation

    return re.findall(r"```python\n(.*?)```", documentation(), flags=re.DOTALL)


def test_the_readme_python_examples_import_only_the_api_and_run(monkeypatch: pytest.MonkeyPatch) -> None:
    examples = [code for code in readme_python_examples() if "precepts" in code]
    assert len(examples) >= 2
    monkeypatch.chdir(ROOT)
    for code in examples:
        imported = re.findall(r"^\s*(?:from|import) (\S+)", code, flags=re.MULTILINE)
        assert set(imported) == {"precepts"}, code
        exec(compile(code, "docs", "exec"), {})


def test_the_docstring_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest

    import precepts.api

    monkeypatch.chdir(ROOT)
    for module in (precepts, precepts.api):
        failed, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
        assert attempted and not failed, f"{module.__name__}: {failed} of {attempted} examples failed"
