"""`precepts lsp`: the language server for editors, over standard input and output."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default; editors often pass it).")
def lsp(stdio: bool) -> None:
    """Start the language server for editors (VS Code, Neovim, Helix…).

    It reports the same findings as `precepts check` as you type, and offers hover,
    go to definition, references, completion, the outline, quick fixes and formatting.
    Editors start it themselves; see the README's "Editing frameworks".
    """
    try:
        from precepts.lsp.server import run
    except ImportError as error:  # pygls is an optional extra
        raise click.ClickException(
            f"the language server needs the 'lsp' extra ({error.name} is missing): pip install 'precepts[lsp]'"
        ) from None
    run()
    # The protocol's exit closed standard output; nothing more may be written to it.
    raise SystemExit(0)
