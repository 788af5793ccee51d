// The parts of CodeMirror 6 the precepts authoring page uses, bundled into one file
// (service/static/editor.bundle.js) so the page works offline, with no CDN.
export { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
         highlightSpecialChars } from "@codemirror/view";
export { EditorState } from "@codemirror/state";
export { history, historyKeymap, defaultKeymap } from "@codemirror/commands";
export { StreamLanguage, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
export { linter, lintGutter, lintKeymap, forceLinting } from "@codemirror/lint";
export { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
