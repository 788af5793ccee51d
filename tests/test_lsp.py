"""`precepts lsp` end to end: the real server process over stdio, driven by pytest-lsp as an
editor would drive it."""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from support import FRAMEWORKS

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHARED = FRAMEWORKS / "shared" / "hmip-case-ratings.precepts"
FRAMEWORK_2021 = FRAMEWORKS / "hmip-adult-2021.precepts"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project holding the 2021 framework and the shared rules it includes."""
    root = tmp_path_factory.mktemp("workspace")
    (root / "precepts.toml").write_text("", encoding="utf-8")
    (root / "shared").mkdir()
    shutil.copy(SHARED, root / "shared" / SHARED.name)
    shutil.copy(FRAMEWORK_2021, root / FRAMEWORK_2021.name)
    return root


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "precepts.cli", "lsp"]),
    scope="module",
    loop_scope="module",
)
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=workspace.as_uri()))
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, path: Path, text: str | None = None) -> list[types.Diagnostic]:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="precepts", version=1, text=text if text is not None else path.read_text(encoding="utf-8"))))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


async def _change(client: LanguageClient, path: Path, text: str, version: int) -> list[types.Diagnostic]:
    uri = path.as_uri()
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


def _line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.split("\n")) if line.lstrip().startswith(start))


async def test_diagnostics_on_open_are_those_of_check_with_waived_ones_as_hints(client: LanguageClient, workspace: Path) -> None:
    diagnostics = await _open(client, workspace / FRAMEWORK_2021.name)
    codes = {d.code for d in diagnostics if d.severity != types.DiagnosticSeverity.Hint}
    assert codes == {"R001"}  # the open rules, as `precepts check` reports them
    hints = [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Hint]
    assert {d.code for d in hints} >= {"D001", "D002", "X001", "X003"}
    assert all("waived:" in d.message for d in hints)
    assert all(d.source == "precepts" for d in diagnostics)


async def test_an_edit_is_reported_with_help_and_fixed_by_a_quick_fix(client: LanguageClient, workspace: Path) -> None:
    path = workspace / "typo.precepts"
    text = "framework typo\ntitle: Typo\nlevel pdu: PDU\n\ndomain 1 One\n  at: pdu\n\n  standard 1.1 Leadership\n    text: Text.\n    rated: not rated\n\n    question 1.1.1 Is it?\n      a) Is it so?\n"
    path.write_text(text, encoding="utf-8")
    assert [d for d in await _open(client, path) if d.severity == types.DiagnosticSeverity.Error] == []
    broken = text.replace("question 1.1.1", "questoin 1.1.1")
    diagnostics = await _change(client, path, broken, 2)
    errors = [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Error]
    assert [d.code for d in errors] == ["S003"]
    assert "help: did you mean 'question'?" in errors[0].message
    assert errors[0].range.start.line == _line_of(broken, "questoin")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()), range=errors[0].range,
        context=types.CodeActionContext(diagnostics=errors)))
    fixes = [a for a in actions or [] if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix]
    replace = next(a for a in fixes if a.title == "Replace with 'question'")
    assert replace.edit is not None and replace.edit.changes is not None
    [edit] = replace.edit.changes[path.as_uri()]
    assert edit.new_text == "question" and edit.range == errors[0].range
    assert any(a.title.startswith("Waive S003") for a in fixes)
    assert [d for d in await _change(client, path, text, 3) if d.severity == types.DiagnosticSeverity.Error] == []


async def test_hover_explains_codes_elements_and_rules(client: LanguageClient, workspace: Path) -> None:
    path = workspace / FRAMEWORK_2021.name
    text = path.read_text(encoding="utf-8")
    await _open(client, path)

    async def hover_at(start: str, character: int) -> str:
        line = _line_of(text, start)
        result = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            position=types.Position(line=line, character=len(text.split("\n")[line]) - len(text.split("\n")[line].lstrip()) + character)))
        assert result is not None and isinstance(result.contents, types.MarkupContent)
        return result.contents.value

    assert "near-duplicate" in (await hover_at("waive D002", 7)).lower() or "D002" in await hover_at("waive D002", 7)
    standard = await hover_at("standard 1.1 Leadership", 0)
    assert "id: `leadership`" in standard and "rated at pdu" in standard
    assert "when" in await hover_at("hurdle diversity-leadership", 10)


async def test_definition_and_references_across_the_include(client: LanguageClient, workspace: Path) -> None:
    path = workspace / FRAMEWORK_2021.name
    text = path.read_text(encoding="utf-8")
    await _open(client, path)
    line = _line_of(text, "rated: from cases using case-results")
    column = text.split("\n")[line].index("case-results") + 2
    position = types.Position(line=line, character=column)
    document = types.TextDocumentIdentifier(uri=path.as_uri())
    definitions = await client.text_document_definition_async(types.DefinitionParams(text_document=document, position=position))
    assert isinstance(definitions, list) and len(definitions) == 1
    assert definitions[0].uri.endswith("shared/hmip-case-ratings.precepts")
    references = await client.text_document_references_async(types.ReferenceParams(
        text_document=document, position=position, context=types.ReferenceContext(include_declaration=False)))
    assert references is not None and len(references) == text.count("using case-results")


async def test_symbols_completion_and_formatting(client: LanguageClient, workspace: Path) -> None:
    path = workspace / FRAMEWORK_2021.name
    text = path.read_text(encoding="utf-8")
    await _open(client, path)
    document = types.TextDocumentIdentifier(uri=path.as_uri())
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=document))
    assert symbols is not None
    [root] = symbols
    assert isinstance(root, types.DocumentSymbol) and root.name == "framework hmip-adult-2021"
    domains = [s for s in root.children or [] if s.name.startswith("domain")]
    assert [d.name for d in domains] == ["domain 1", "domain 2"]

    completion = await client.text_document_completion_async(types.CompletionParams(
        text_document=document, position=types.Position(line=_line_of(text, "question 1.1.2") + 1, character=0)))
    labels = [item.label for item in (completion.items if isinstance(completion, types.CompletionList) else completion or [])]
    assert "question 1.1.3" in labels and "standard" in labels


async def test_formatting_gives_the_fmt_layout(client: LanguageClient, workspace: Path) -> None:
    from precepts.dsl.format import format_text

    path = workspace / "messy.precepts"
    messy = "framework messy\n  title :   Messy\ndomain 1 One\n standard 1.1    Two\n"
    path.write_text(messy, encoding="utf-8")
    await _open(client, path)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
        options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert edits is not None and len(edits) == 1
    assert edits[0].new_text == format_text(messy) and edits[0].range.start == types.Position(line=0, character=0)


async def test_the_server_survives_any_text(client: LanguageClient, workspace: Path) -> None:
    path = workspace / "noise.precepts"
    path.write_text("", encoding="utf-8")
    await _open(client, path, "")
    for version, text in enumerate(["\x00\x01", "framework", "framework x\n  a) b\n\t\t\n", "ééé\n" * 50, "question 1..1 ?"], 2):
        await _change(client, path, text, version)
    # The last text is reported (it is no framework), and the server still answers requests.
    assert client.diagnostics[path.as_uri()], "the last text's findings were published"
    assert all(d.source == "precepts" for d in client.diagnostics[path.as_uri()])
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=path.as_uri())))
    assert symbols is not None
