"""The stylesheets of the pages precepts publishes: govuk.css, which every page shares,
then the page's own (consultation.css, notice.css), inlined so that a page loads nothing."""

from __future__ import annotations

from importlib import resources

from markupsafe import Markup

SHARED = "govuk.css"


def stylesheet(own: str) -> str:
    folder = resources.files("precepts.core") / "static"
    return "\n".join((folder / name).read_text(encoding="utf-8").rstrip("\n") + "\n" for name in (SHARED, own))


def inline_stylesheet(own: str) -> Markup:
    """The page's stylesheet, for a <style> element. Trusted: the package's own files, never
    framework text. Escaped, its quotes would become entities and browsers would drop the
    declarations that hold them; and none holds "</", which would end the element early."""
    text = stylesheet(own)
    if "</" in text:
        raise ValueError(f"{SHARED} or {own} holds '</', which would end the <style> element")
    return Markup(text)
