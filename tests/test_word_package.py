"""The Word document's zip (renderers/consultation/word.py, `_package_bytes`): made from
python-docx's package writer's steps, compressed once, it is the same bytes as saving with
python-docx and rewriting the zip with fixed dates, which is what a python-docx release
without those steps still gets (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_build_documents import framework
from test_build_languages import FIXTURE

from precepts.pipeline import check_path
from precepts.renderers.consultation import word


@pytest.mark.parametrize("language", [None, "cy"])
def test_the_zip_is_the_same_bytes_as_python_docx_s_save_with_fixed_dates(
    monkeypatch: pytest.MonkeyPatch, language: str | None
) -> None:
    if language is None:
        chosen = framework("hmip-adult-2021")
    else:  # the Welsh fixture, whose English runs carry their language
        checked = check_path(Path(FIXTURE))
        assert checked.framework is not None
        chosen = checked.framework
    direct = word.render_word(chosen, language)
    monkeypatch.setattr(word, "_package_bytes", word._saved_with_fixed_dates)
    assert word.render_word(chosen, language) == direct
