"""The `precepts` command group. Every command lives in a module of its own and is imported
only when it is run (or listed), so that `precepts check` pays for neither the rating engine
nor the publishing renderers."""

from __future__ import annotations

import errno
import os
import sys

import click

from precepts.cli.common import EXIT_USAGE
from precepts.core.version import __version__

# command name → (module, attribute)
COMMANDS = {
    "check": ("precepts.cli.check", "check"),
    "compile": ("precepts.cli.compile", "compile_command"),
    "explain": ("precepts.cli.explain", "explain"),
    "rate": ("precepts.cli.rate", "rate"),
    "build": ("precepts.cli.build", "build"),
    "diff": ("precepts.cli.diff", "diff"),
    "fmt": ("precepts.cli.fmt", "fmt"),
    "import": ("precepts.cli.import", "import_command"),
    "lsp": ("precepts.cli.lsp", "lsp"),
    "serve": ("precepts.cli.serve", "serve"),
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._available()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None or name not in self._available():
            return command
        import importlib

        module, attribute = COMMANDS[name]
        found: click.Command = getattr(importlib.import_module(module), attribute)
        return found

    @staticmethod
    def _available() -> list[str]:
        import importlib.util

        available = []
        for name, (module, _) in COMMANDS.items():
            try:
                if importlib.util.find_spec(module) is not None:
                    available.append(name)
            except ModuleNotFoundError:
                continue
        return available

    def invoke(self, ctx: click.Context) -> object:
        try:
            return self._invoke(ctx)
        finally:
            _ENDED.append(ctx.invoked_subcommand)

    def _invoke(self, ctx: click.Context) -> object:
        import gc

        # A command builds large trees that reference counting frees; the cyclic collector
        # would rescan them again and again as they grow (a third of the time of checking
        # 100,000 prompts) and find almost nothing. One short-lived run does without it.
        collecting = gc.isenabled()
        gc.disable()
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk shows here, not as a warning at interpreter exit
            return result
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except OSError as error:
            if not _output_failed(error):
                raise
            _report_write_error(error)
            raise SystemExit(EXIT_USAGE) from None
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


# Errors that mean the report could not be written (a full disk, a closed pipe, a lost
# terminal): a fault of the place the output goes, not of precepts or of the framework.
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE, errno.EROFS})


def _output_failed(error: OSError) -> bool:
    return isinstance(error, BrokenPipeError) or error.errno in _WRITE_ERRORS


def _report_write_error(error: OSError) -> None:
    """Say that standard output could not be written, then stop writing to it.

    Whatever is still buffered would fail again when Python exits and print a traceback,
    so standard output is pointed at /dev/null.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    reason = error.strerror or str(error)
    try:
        click.echo(
            f"precepts: error: cannot write the output: {reason} (errno {error.errno})\n"
            "help: free some space or write the output somewhere else; nothing is wrong with the framework",
            err=True,
        )
    except OSError:
        pass


# Commands after which the process ends at once, once its output is flushed, rather than
# through the interpreter's teardown: that frees every object one by one and runs a last
# garbage collection over all of them, which took 0.3-0.6 s after checking 100,000 prompts
# and a fifth of a `precepts check` of the 2021 framework (issue 15). These commands leave
# nothing for the teardown to do: their files are written and closed, their one child
# process (the near-duplicate join) is joined. Long-running commands (serve, lsp, watch
# loops end with Ctrl-C) and those that write many files end the ordinary way.
ENDS_AT_ONCE = frozenset({"check", "compile", "explain"})
_ENDED: list[str | None] = []  # the command each invocation ran, as it ended


def run() -> None:
    """The process's entry point (the `precepts` script and `python -m precepts.cli`).

    `main` itself is left to end as any function does, so that tests and other programs
    can call it in their own process."""
    try:
        main()
    except SystemExit as stop:
        code = stop.code
        if not (_ENDED and _ENDED[-1] in ENDS_AT_ONCE and (code is None or isinstance(code, int))):
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            raise stop from None  # let the ordinary exit report what it can
        os._exit(code or 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="precepts")
def main() -> None:
    """Write, check and publish inspection standards frameworks.

    Frameworks are plain-text files ending in .precepts. Start with
    `precepts check`, which checks every framework in frameworks/.
    """


if __name__ == "__main__":  # pragma: no cover
    run()
