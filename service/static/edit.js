// The precepts authoring page: CodeMirror 6 (editor.bundle.js), live diagnostics through
// POST /v1/check, a preview of the consultation page, a redline against git HEAD, and a
// save guarded by If-Match. The draft lives in localStorage until it is saved.
"use strict";
(function () {
  const CM = window.PreceptsEditor;
  const app = document.getElementById("app");
  const id = app.dataset.id;
  const draftKey = "precepts-draft:" + location.host + ":" + id;
  const statusLine = document.getElementById("status");
  let source = null;        // what GET …/source answered: text, sha256, includes, head, path
  let base = null;          // the sha256 of the version the author started from
  let savedText = "";       // the text of that version
  let view = null;
  let token = sessionStorage.getItem("precepts-token:" + location.host) || "";
  const explanations = new Map();

  function say(text) { statusLine.textContent = text; }

  function headers(extra) {
    const all = Object.assign({}, extra || {});
    if (token) all["Authorization"] = "Bearer " + token;
    return all;
  }

  // ---- syntax highlighting: a small stream mode for the framework language ----------------
  const precepts = CM.StreamLanguage.define({
    name: "precepts",
    token(stream) {
      if (stream.sol()) {
        stream.eatSpace();
        if (stream.peek() === "#") { stream.skipToEnd(); return "comment"; }
        if (stream.match(/^(\(?[a-z]{1,2}[).:]|[a-z]\s-)(?=\s)/)) return "atom";   // a prompt's letter
        if (stream.match(/^[A-Za-z][A-Za-z -]*?:(?=\s|$)/)) return "keyword";        // title:, text:, at:
        if (stream.match(/^[a-z][a-z-]*(?=\s)/)) return "keyword";                  // framework, standard, …
      }
      if (stream.eatSpace()) return null;
      if (stream.peek() === "#") { stream.skipToEnd(); return "comment"; }
      if (stream.match(/^"[^"]*"?/)) return "string";
      if (stream.match(/^\d+(\.\d+)*%?/)) return "number";
      stream.next();
      return null;
    },
  });

  // ---- the files a check, preview or redline needs ----------------------------------------
  function files(text) {
    const all = Object.assign({}, source.includes);
    all[source.path] = text;
    return all;
  }

  function text() { return view.state.doc.toString(); }

  // ---- diagnostics --------------------------------------------------------------------------
  function offset(doc, line, column) {
    const number = Math.min(Math.max(line, 1), doc.lines);
    const at = doc.line(number);
    return Math.min(at.from + Math.max(column - 1, 0), at.to);
  }

  async function diagnose(editorView) {
    const doc = editorView.state.doc;
    let answer;
    try {
      answer = await fetch("/v1/check", {method: "POST", headers: {"Content-Type": "application/json"},
                                         body: JSON.stringify({files: files(doc.toString())})});
    } catch (error) { say("Cannot reach the server to check the text."); return []; }
    if (!answer.ok) { say("The server could not check the text (" + answer.status + ")."); return []; }
    const report = await answer.json();
    // The author typed on while this check ran: its findings are about older text, and the
    // linter, which checks again after every change, drops them too.
    if (editorView.state.doc !== doc) return [];
    const mine = report.diagnostics.filter(d => !d.span || d.span.file === source.path);
    showProblems(mine, doc);
    return mine.filter(d => d.span).map(d => {
      const from = offset(doc, d.span.line, d.span.column);
      let to = offset(doc, d.span.end_line, d.span.end_column);
      if (to <= from) to = Math.min(from + 1, doc.length);
      return {from, to, severity: d.severity === "info" ? "info" : d.severity,
              message: d.code + " " + d.message + (d.help ? "\nhelp: " + d.help : ""), source: d.code};
    });
  }

  function showProblems(diagnostics, doc) {
    const list = document.getElementById("problems");
    list.replaceChildren();
    document.getElementById("problem-count").textContent = "(" + diagnostics.length + ")";
    for (const d of diagnostics) {
      const item = document.createElement("li");
      const jump = document.createElement("button");
      jump.type = "button";
      jump.className = "jump";
      const severity = document.createElement("span");
      severity.className = "severity-" + d.severity;
      severity.textContent = d.severity;
      const where = d.span ? "line " + d.span.line + ", column " + d.span.column : "the whole file";
      jump.append(severity, " " + d.code + " (" + d.name + ") at " + where + ": " + d.message);
      jump.addEventListener("click", () => {
        if (!d.span) return;
        const at = offset(view.state.doc, d.span.line, d.span.column);
        view.dispatch({selection: {anchor: at}, scrollIntoView: true});
        view.focus();
      });
      item.append(jump);
      if (d.help) {
        const help = document.createElement("p");
        help.className = "help";
        help.textContent = "help: " + d.help;
        item.append(help);
      }
      const details = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = "Explain " + d.code;
      const body = document.createElement("p");
      details.append(summary, body);
      details.addEventListener("toggle", () => explain(d.code, body));
      item.append(details);
      list.append(item);
    }
  }

  async function explain(code, into) {
    if (!explanations.has(code)) {
      const answer = await fetch("/v1/codes/" + encodeURIComponent(code));
      explanations.set(code, answer.ok ? (await answer.json()).explanation : "No explanation found.");
    }
    into.textContent = explanations.get(code);
  }

  // ---- preview and redline ------------------------------------------------------------------
  let outputsTimer = null;
  // Each refresh supersedes the one before: its requests are aborted, and an answer that
  // arrives after a newer refresh has started is dropped, so a slow answer about older
  // text can never overwrite the preview or the redline of the text the author now has.
  let outputsRefresh = null;
  function scheduleOutputs() {
    clearTimeout(outputsTimer);
    outputsTimer = setTimeout(refreshOutputs, 900);
  }

  async function refreshOutputs() {
    if (outputsRefresh) outputsRefresh.abort();
    const refresh = new AbortController();
    outputsRefresh = refresh;
    try {
      await updateOutputs(text(), refresh.signal);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  async function updateOutputs(current, signal) {
    const previewStatus = document.getElementById("preview-status");
    const answer = await fetch("/v1/preview", {method: "POST", headers: {"Content-Type": "application/json"},
                                               body: JSON.stringify({files: files(current), name: source.path}), signal});
    const page = answer.ok ? await answer.text() : null;
    if (signal.aborted) return;
    if (page !== null) {
      document.getElementById("preview").srcdoc = page;
      previewStatus.textContent = "Up to date.";
    } else {
      previewStatus.textContent = "Not updated: the text has errors (see Problems).";
    }
    const redlineStatus = document.getElementById("redline-status");
    if (source.head === null) { redlineStatus.textContent = "The folder is not in git, so there is no last commit."; return; }
    const diff = await fetch("/v1/diff", {method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "text/html"},
      body: JSON.stringify({old: {id: id, revision: "HEAD"}, new: {files: files(current), name: source.path}}), signal});
    const redline = diff.ok ? await diff.text() : ((await diff.json()).detail || diff.status);
    if (signal.aborted) return;
    if (diff.ok) {
      document.getElementById("redline").srcdoc = redline;
      redlineStatus.textContent = "Compared with the last commit.";
    } else {
      redlineStatus.textContent = "Not updated: " + redline;
    }
  }

  // ---- drafts, saving, conflicts ------------------------------------------------------------
  function dirty() { return view && text() !== savedText; }

  let draftTimer = null;
  function keepDraft() {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(() => {
      if (dirty()) {
        localStorage.setItem(draftKey, JSON.stringify({base: base, text: text(), at: new Date().toISOString()}));
        say("Draft kept in this browser (not saved yet).");
      } else {
        localStorage.removeItem(draftKey);
      }
    }, 250);
  }

  async function save(overwriting) {
    const current = text();
    const answer = await fetch("/v1/frameworks/" + encodeURIComponent(id) + "/source", {
      method: "PUT", headers: headers({"Content-Type": "text/plain; charset=utf-8", "If-Match": '"' + base + '"'}),
      body: current});
    if (answer.ok) {
      const saved = await answer.json();
      base = saved.sha256;
      savedText = current;
      localStorage.removeItem(draftKey);
      document.getElementById("conflict").hidden = true;
      say("Saved " + saved.saved + ".");
      scheduleOutputs();
      return;
    }
    const problem = await answer.json();
    if (answer.status === 409) {
      const panel = document.getElementById("conflict");
      document.getElementById("conflict-mine").value = current;
      document.getElementById("conflict-theirs").value = problem.current;
      panel.dataset.theirs = problem.current_sha256;
      panel.hidden = false;
      panel.focus();
      say("Not saved: someone else changed the file. Compare the versions below.");
      return;
    }
    if (answer.status === 401) document.getElementById("token-panel").hidden = false;
    say("Not saved: " + problem.detail);
  }

  function keepMine() {
    base = document.getElementById("conflict").dataset.theirs;
    save(true);
  }

  function takeTheirs() {
    const panel = document.getElementById("conflict");
    const theirs = document.getElementById("conflict-theirs").value;
    base = panel.dataset.theirs;
    savedText = theirs;
    view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: theirs}});
    localStorage.removeItem(draftKey);
    panel.hidden = true;
    say("Took the version on the server.");
  }

  function discard() {
    if (!dirty()) { say("No draft to discard."); return; }
    view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: savedText}});
    localStorage.removeItem(draftKey);
    say("Draft discarded.");
  }

  // ---- start ---------------------------------------------------------------------------------
  async function load() {
    const answer = await fetch("/v1/frameworks/" + encodeURIComponent(id) + "/source", {headers: headers()});
    if (answer.status === 401) {
      document.getElementById("token-panel").hidden = false;
      say("Give the token to edit.");
      return;
    }
    if (!answer.ok) { say("Cannot load the framework: " + (await answer.json()).detail); return; }
    source = await answer.json();
    base = source.sha256;
    savedText = source.text;
    let initial = source.text;
    const kept = JSON.parse(localStorage.getItem(draftKey) || "null");
    if (kept && kept.text !== source.text) {
      initial = kept.text;
      base = kept.base || base;
    }
    view = new CM.EditorView({
      parent: document.getElementById("editor"),
      state: CM.EditorState.create({
        doc: initial,
        extensions: [
          CM.lineNumbers(), CM.highlightActiveLineGutter(), CM.highlightSpecialChars(), CM.history(),
          CM.drawSelection(), CM.highlightActiveLine(), CM.highlightSelectionMatches(),
          precepts, CM.syntaxHighlighting(CM.defaultHighlightStyle),
          CM.linter(diagnose, {delay: 400}), CM.lintGutter(),
          CM.keymap.of([{key: "Mod-s", preventDefault: true, run: () => { save(false); return true; }},
                        ...CM.defaultKeymap, ...CM.historyKeymap, ...CM.searchKeymap, ...CM.lintKeymap]),
          CM.EditorView.contentAttributes.of({"aria-labelledby": "editor-label", "aria-describedby": "status"}),
          CM.EditorView.updateListener.of(update => { if (update.docChanged) { keepDraft(); scheduleOutputs(); } }),
        ],
      }),
    });
    // The scroller is a scrollable region: keyboard users reach it too (WCAG 2.1.1).
    view.scrollDOM.setAttribute("tabindex", "0");
    view.scrollDOM.setAttribute("aria-label", "Framework text, scrollable");
    say(initial !== source.text ? "Restored your unsaved draft from this browser." : "Loaded " + source.path + ".");
    refreshOutputs();
  }

  document.getElementById("save").addEventListener("click", () => save(false));
  document.getElementById("discard").addEventListener("click", discard);
  document.getElementById("keep-mine").addEventListener("click", keepMine);
  document.getElementById("take-theirs").addEventListener("click", takeTheirs);
  document.getElementById("token-use").addEventListener("click", () => {
    token = document.getElementById("token").value;
    sessionStorage.setItem("precepts-token:" + location.host, token);
    document.getElementById("token-panel").hidden = true;
    load();
  });
  window.addEventListener("beforeunload", event => {
    if (dirty()) { event.preventDefault(); event.returnValue = ""; }
  });
  load();
})();
