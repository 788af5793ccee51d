"""The consultation-style HTML page of a framework: one self-contained, printable file.

Text from the framework is only ever escaped (autoescaping is on for the whole template,
and nothing from the framework is marked safe), so markup in a prompt shows as text.
The page loads nothing: its stylesheet is inlined and its security policy forbids
scripts and outside resources.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from precepts.compiler import model as m
from precepts.renderers.consultation.view import build_page
from precepts.renderers.source_paths import published_path

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "page.html.j2"
STYLESHEET = "consultation.css"  # after the shared govuk.css (styles.py)


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    folder = resources.files("precepts.renderers.consultation") / "templates"
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def render_consultation(framework: m.Framework, language: str | None = None) -> str:
    """The page in English, or in `language`: the tag of one of the framework's translations."""
    from markupsafe import Markup

    from precepts.core.styles import inline_stylesheet

    page = build_page(framework, language)
    # The attribute that marks precepts' own English words on a translated page; nothing on the English page.
    english = Markup(f' lang="{page.english}"') if page.english else Markup("")
    html = _environment().get_template(TEMPLATE).render(
        page=page, f=framework, source_path=published_path(framework.file), stylesheet=inline_stylesheet(STYLESHEET),
        en=english,
    )
    return "\n".join(line.rstrip() for line in html.splitlines() if line.strip()) + "\n"
