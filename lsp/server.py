"""The language server's connection: protocol messages in, features out (pygls)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from precepts import __version__
from precepts.lsp import features
from precepts.lsp.analysis import Analysis, analyse
from precepts.lsp.positions import Lines


class PreceptsServer(LanguageServer):
    """Keeps the last analysis of every open document, made on open and on each change."""

    def __init__(self) -> None:
        super().__init__("precepts", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.analyses: dict[str, tuple[Analysis, Lines]] = {}

    def open_texts(self) -> dict[Path, str]:
        return {features.path_of_uri(uri): document.source
                for uri, document in self.workspace.text_documents.items()}

    def refresh(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        text = document.source
        lines = Lines(text)
        try:
            analysis = analyse(features.path_of_uri(uri), text, self.open_texts())
        except ValueError:
            return  # a document outside any project folder we can read; nothing to say
        self.analyses[uri] = (analysis, lines)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=features.diagnostics(analysis, lines)))

    def current(self, uri: str) -> tuple[Analysis, Lines] | None:
        if uri not in self.analyses and uri in self.workspace.text_documents:
            self.refresh(uri)
        return self.analyses.get(uri)


server = PreceptsServer()


def _started() -> None:
    from precepts.dsl import incremental

    incremental.activate()  # after each edit only the changed lines are parsed again


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PreceptsServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.refresh(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PreceptsServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.refresh(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PreceptsServer, params: types.DidSaveTextDocumentParams) -> None:
    for uri in list(ls.analyses):  # a saved include changes what its includers say
        ls.refresh(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PreceptsServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.analyses.pop(params.text_document.uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: PreceptsServer, params: types.HoverParams) -> types.Hover | None:
    current = ls.current(params.text_document.uri)
    return features.hover(*current, params.position) if current else None


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: PreceptsServer, params: types.DefinitionParams) -> list[types.Location]:
    current = ls.current(params.text_document.uri)
    return features.definition(*current, params.position) if current else []


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: PreceptsServer, params: types.ReferenceParams) -> list[types.Location]:
    current = ls.current(params.text_document.uri)
    if not current:
        return []
    return features.references(*current, params.position, params.context.include_declaration)


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" ", ":"]))
def completion(ls: PreceptsServer, params: types.CompletionParams) -> types.CompletionList:
    current = ls.current(params.text_document.uri)
    if not current:
        return types.CompletionList(is_incomplete=False, items=[])
    analysis, _ = current
    # Complete against the text as it is now, which may be newer than the last analysis.
    lines = Lines(ls.workspace.get_text_document(params.text_document.uri).source)
    return features.completion(analysis, lines, params.position)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbol(ls: PreceptsServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    current = ls.current(params.text_document.uri)
    return features.symbols(*current) if current else []


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.RefactorRewrite]))
def code_action(ls: PreceptsServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    current = ls.current(params.text_document.uri)
    if not current:
        return []
    analysis, lines = current
    return features.code_actions(analysis, lines, params.text_document.uri, params.context, params.range)


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: PreceptsServer, params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
    document = ls.workspace.get_text_document(params.text_document.uri)
    return features.formatting(document.source, document.path)


def run() -> None:
    """Serve over standard input and output until the client says exit."""
    _started()
    server.start_io()
