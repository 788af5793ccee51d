"""The documentation lists every diagnostic code with its name and severity, and the README's
quick start is what CI runs."""

from pathlib import Path

from precepts.core.codes import Code

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_documentation_lists_every_code() -> None:
    checks = (Path(__file__).resolve().parents[1] / "docs" / "checks.md").read_text(encoding="utf-8")
    missing = [
        c.code for c in Code
        if f"| {c.code} | {c.readable_name} | {c.severity.value} |" not in checks
    ]
    assert not missing, f"docs/checks.md's table of codes lacks {missing}"


def test_readme_quick_start_commands_are_the_ci_commands() -> None:
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    test_command = "python3 -m pip install -e '.[test]' && python3 -m pytest"
    assert test_command in README
    assert test_command in ci
