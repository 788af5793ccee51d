"""The `precepts` command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from precepts import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
DEFAULT_FOLDER = "frameworks"


def _codes(values: tuple[str, ...], option: str) -> list[str]:
    """Codes or code prefixes (N, N00, N004) or readable names, as upper-case codes."""
    from precepts.core.codes import Code, lookup

    chosen = []
    for value in values:
        for word in (w.strip() for w in value.split(",")):
            if not word:
                continue
            entry = lookup(word)
            if entry is not None:
                chosen.append(entry.code)
            elif any(c.code.startswith(word.upper()) for c in Code) and word[:1].isalpha():
                chosen.append(word.upper())
            else:
                from precepts.compiler.names import did_you_mean

                hint = did_you_mean(word.upper(), [c.code for c in Code]) or did_you_mean(
                    word, [c.readable_name for c in Code]
                )
                raise click.BadParameter(
                    f"no diagnostic code or name '{word}'. {hint or 'Run precepts explain for the list.'}",
                    param_hint=option,
                )
    return chosen


# Commands that live in their own component are imported only when used, so that
# `precepts check` does not pay for the rating engine or the publishing renderers.
LAZY_COMMANDS = {
    "rate": ("precepts.cli.rate", "rate"),
    "build": ("precepts.cli.build", "build"),
    "diff": ("precepts.cli.diff", "diff"),
    "serve": ("precepts.cli.serve", "serve"),
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._available_lazy()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None or name not in self._available_lazy():
            return command
        import importlib

        module, attribute = LAZY_COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]

    @staticmethod
    def _available_lazy() -> list[str]:
        import importlib.util

        available = []
        for name, (module, _) in LAZY_COMMANDS.items():
            try:
                if importlib.util.find_spec(module) is not None:
                    available.append(name)
            except ModuleNotFoundError:
                continue
        return available

    def invoke(self, ctx: click.Context) -> object:
        import gc

        # A command builds large trees that reference counting frees; the cyclic collector
        # would rescan them again and again as they grow (a third of the time of checking
        # 100,000 prompts) and find almost nothing. One short-lived run does without it.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            sys.stderr.close()
            raise SystemExit(EXIT_FINDINGS) from None
        except Exception as error:  # an internal fault must not show the user a traceback
            if os.environ.get("PRECEPTS_DEBUG"):
                raise
            click.echo(
                f"precepts: internal error: {type(error).__name__}: {error}\n"
                "This is a bug in precepts, not in your framework. Run again with "
                "PRECEPTS_DEBUG=1 for the details and report them.",
                err=True,
            )
            raise SystemExit(EXIT_USAGE) from None
        finally:
            if collecting:
                gc.enable()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="precepts")
def main() -> None:
    """Write, check and publish inspection standards frameworks.

    Frameworks are plain-text files ending in .precepts. Start with
    `precepts check`, which checks every framework in frameworks/.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github", "sarif"]), default="text",
              show_default=True,
              help="text for people; json for tools (a versioned document); github for workflow "
                   "annotations; sarif for code scanning (SARIF 2.1.0).")
@click.option("--coverage", is_flag=True, help="Also print, level by level, which standards, key questions and prompts apply.")
@click.option("--select", multiple=True, metavar="CODE",
              help="Only report these codes or code prefixes (repeatable, or comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODE",
              help="Do not report these codes or code prefixes (repeatable, or comma-separated).")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only errors.")
@click.option("--show-waived", is_flag=True, help="List the findings that waivers excuse.")
def check(paths: tuple[Path, ...], output_format: str, coverage: bool, select: tuple[str, ...],
          ignore: tuple[str, ...], strict: bool, show_waived: bool) -> None:
    """Check framework files and report every problem found.

    PATHS are framework files or folders (searched for *.precepts); the default is
    frameworks/. Exit status: 0 when no errors were found, 1 when errors were
    (or warnings, with --strict), 2 for usage or internal errors.
    """
    from precepts.core import reporting
    from precepts.core.diagnostics import Severity
    from precepts.pipeline import check_path, framework_files

    targets = list(paths) or [Path(DEFAULT_FOLDER)]
    files, problems = framework_files(targets)
    if problems and not files:
        for problem in problems:
            click.echo(f"precepts: error: {problem.message} ({problem.help})", err=True)
        raise SystemExit(EXIT_USAGE)
    chosen, skipped = _codes(select, "--select") or None, _codes(ignore, "--ignore") or None
    diagnostics = list(problems)
    waived = []
    sources = {}
    shown_files = []
    frameworks = []
    held_back = 0
    for file in files:
        result = check_path(file, chosen, skipped)
        held_back += len(result.held_back)
        if result.framework is not None and result.framework.kind == "framework":
            frameworks.append(result.framework)
        shown_files.append(result.path)
        diagnostics.extend(result.diagnostics)
        waived.extend(result.waived)
        sources.update(result.sources)
    diagnostics = list(dict.fromkeys(diagnostics))  # a rules file checked alone and via an include
    waived = list({(w.diagnostic, w.waiver): w for w in waived}.values())
    pairs = [(w.diagnostic, w.waiver.reason) for w in waived]
    if output_format == "json":
        click.echo(reporting.format_json(diagnostics, shown_files, pairs, held_back), nl=False)
    elif output_format == "sarif":
        click.echo(reporting.format_sarif(diagnostics, pairs), nl=False)
    elif output_format == "github":
        click.echo(reporting.format_github(diagnostics), nl=False)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as out:
                out.write(reporting.step_summary(diagnostics, len(waived), len(files)))
    else:
        if coverage:
            from precepts.renderers.coverage import render_coverage

            for result in frameworks:
                click.echo(render_coverage(result), nl=False)
        click.echo(reporting.format_text(diagnostics, sources, len(files), [w.diagnostic for w in waived], show_waived,
                                         held_back), nl=False)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    raise SystemExit(EXIT_FINDINGS if any(d.severity in failing for d in diagnostics) else EXIT_OK)


@main.command("compile")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def compile_command(file: Path) -> None:
    """Print FILE's compiled model as JSON on standard output.

    The framework is checked first; if it has errors they are printed on standard
    error, nothing is printed on standard output, and the exit status is 1.
    """
    from precepts.core.reporting import format_text
    from precepts.pipeline import check_path
    from precepts.renderers.compiled import render

    result = check_path(file)
    if result.framework is None or result.has_errors:
        errors = [d for d in result.diagnostics if d.severity.value == "error"]
        click.echo(format_text(errors, result.sources, 1), err=True, nl=False)
        raise SystemExit(EXIT_FINDINGS)
    click.echo(render(result.framework), nl=False)


@main.command()
@click.argument("code", required=False)
def explain(code: str | None) -> None:
    """Explain a diagnostic code (such as N004 or too-many-prompts); with no CODE, list them all."""
    from precepts.core.codes import Code, lookup

    if code is None:
        for entry in Code:
            click.echo(f"{entry.code}  {entry.readable_name:<30} {entry.severity.value}")
        return
    entry = lookup(code)
    if entry is None:
        from precepts.compiler.names import did_you_mean

        hint = did_you_mean(code.upper(), [c.code for c in Code]) or did_you_mean(code, [c.readable_name for c in Code])
        click.echo(f"precepts: no diagnostic has the code '{code}'. {hint or 'Run precepts explain for the list.'}", err=True)
        raise SystemExit(EXIT_USAGE)
    click.echo(f"{entry.code} ({entry.readable_name}), {entry.severity.value} by default\n")
    click.echo(entry.explanation)


if __name__ == "__main__":  # pragma: no cover
    main()
