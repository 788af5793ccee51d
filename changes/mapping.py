"""The identity mapping file: which element of one framework version is which in the next.

A person confirms it; `precepts diff` reads it and, with `--propose-mapping`, drafts one.
It is YAML, written to be read by a methodology team:

    format: precepts-mapping
    format_version: 1
    old: hmip-probation-2017-draft
    new: hmip-adult-2021
    confirmed_by: Methodology team
    levels:
      provider: pdu
    standards:
      staff: staffing                                  # old id: new id
    questions:
      leadership.2: [leadership.region.2, leadership.pdu.2]   # split across two levels
      court-reports-and-case-allocation.2: null        # no counterpart: removed
    prompts:
      staff.1b: {to: staffing.pdu.1c, why: "…"}        # with the reason
      staff.2c: {to: staffing.pdu.2e, proposed: 0.71}  # awaiting review

Only the file's own text is trusted: values are read as written, so an id such as `no`
stays the word "no" rather than YAML's false.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # yaml is imported only when a mapping file is read
    import yaml

from precepts.core.codes import Code
from precepts.core.diagnostics import Diagnostic, Span

FORMAT = "precepts-mapping"
FORMAT_VERSION = 1
ELEMENT_KINDS = ("standards", "questions", "prompts")
SECTIONS = ("levels", *ELEMENT_KINDS, "rules")
_HEADER_KEYS = ("format", "format_version", "old", "new", "confirmed_by", "confirmed_on", "note")
_ENTRY_KEYS = ("to", "why", "proposed")
_NULL_WORDS = {"", "~", "null", "Null", "NULL"}


class MappingError(Exception):
    """A mapping file that cannot be used; every problem found, each with its place
    (`FILE:LINE: message`, or `FILE: message` for the file as a whole)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def diagnostics(self) -> list[Diagnostic]:
        """The problems as findings (I006), each spanning the line of the mapping file it is on."""
        found = []
        for problem in self.problems:
            match = _PLACED.match(problem)
            if match is None:
                found.append(Code.INVALID_MAPPING(problem, None))
                continue
            file, line, message = match["file"], int(match["line"] or 0), match["message"]
            found.append(Code.INVALID_MAPPING(message, _line_span(file, line)))
        return found


_PLACED = re.compile(r"^(?P<file>[^:\n]+?)(?::(?P<line>\d+))?: (?P<message>.*)$", re.DOTALL)


def _line_span(file: str, line: int) -> Span:
    """The span of a line of the file, from its first word to its end (line 0: the file)."""
    if line <= 0:
        return Span.point(file, 1, 1)
    try:
        lines = Path(file).read_bytes().decode("utf-8", errors="replace").split("\n")
    except OSError:
        return Span.point(file, line, 1)
    text = lines[line - 1].rstrip("\r") if line <= len(lines) else ""
    start = len(text) - len(text.lstrip()) + 1
    return Span(file, line, start, line, max(len(text) + 1, start + 1))


@dataclass(frozen=True, slots=True)
class Entry:
    section: str  # one of SECTIONS
    old: str
    new: tuple[str, ...]  # empty: the old element has no counterpart (removed)
    why: str | None
    proposed: float | None  # a proposal still to be reviewed; None once confirmed
    line: int  # 1-based, 0 when made in memory

    @property
    def confirmed(self) -> bool:
        return self.proposed is None


@dataclass(frozen=True, slots=True)
class Mapping:
    path: str
    old: str  # framework ids
    new: str
    confirmed_by: str | None
    confirmed_on: str | None
    note: str | None
    entries: tuple[Entry, ...]
    sha256: str
    inverted_from_file: bool = False

    def section(self, name: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.section == name)

    def inverted(self) -> Mapping:
        """The same identities read from new to old, for a diff in the other direction."""
        merged: dict[tuple[str, str], list[Entry]] = {}
        for entry in self.entries:
            for target in entry.new:
                merged.setdefault((entry.section, target), []).append(entry)
        entries = tuple(
            Entry(section, target, tuple(e.old for e in sources), sources[0].why,
                  max((e.proposed for e in sources if e.proposed is not None), default=None)
                  if any(not e.confirmed for e in sources) else None,
                  sources[0].line)
            for (section, target), sources in merged.items()
        )
        return replace(self, old=self.new, new=self.old, entries=entries, inverted_from_file=not self.inverted_from_file)


def _node_text(node: object) -> str | None:
    """A scalar node's text, None for YAML's null; not YAML's reading of yes/no/numbers."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in _NULL_WORDS:
            return None
        return str(node.value)
    return None


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def read_mapping(path: Path, shown: str | None = None) -> Mapping:
    """Read and check the form of a mapping file (its ids are checked against the frameworks later)."""
    import yaml

    shown = shown or str(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError([f"{shown}: cannot read the mapping file: {error}"]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark is not None else shown
        raise MappingError([f"{where}: not valid YAML: {getattr(error, 'problem', None) or error}"]) from None
    if not isinstance(root, yaml.MappingNode):
        raise MappingError([f"{shown}: a mapping file is a set of `key: value` lines, starting with `old:` and `new:`"])
    problems: list[str] = []
    header: dict[str, str | None] = {}
    entries: list[Entry] = []
    seen_keys: set[str] = set()
    for key_node, value_node in root.value:
        key = _node_text(key_node) or ""
        where = f"{shown}:{_line(key_node)}"
        if key in seen_keys:
            problems.append(f"{where}: `{key}:` is given twice")
            continue
        seen_keys.add(key)
        if key in _HEADER_KEYS:
            if not isinstance(value_node, yaml.ScalarNode):
                problems.append(f"{where}: `{key}:` takes a single value")
                continue
            header[key] = _node_text(value_node)
        elif key in SECTIONS:
            entries.extend(_section(key, value_node, shown, problems))
        else:
            expected = ", ".join(f"{k}:" for k in (*_HEADER_KEYS, *SECTIONS))
            problems.append(f"{where}: unknown key `{key}:`; a mapping file has {expected}")
    if header.get("format", FORMAT) != FORMAT:
        problems.append(f"{shown}: `format:` must be {FORMAT}")
    if header.get("format_version", str(FORMAT_VERSION)) != str(FORMAT_VERSION):
        problems.append(f"{shown}: this precepts reads `format_version: {FORMAT_VERSION}` mapping files")
    for required in ("old", "new"):
        if not header.get(required):
            problems.append(f"{shown}: `{required}:` must name the {required} framework's id")
    if problems:
        raise MappingError(problems)
    return Mapping(
        shown, header["old"] or "", header["new"] or "", header.get("confirmed_by"), header.get("confirmed_on"),
        header.get("note"), tuple(entries), hashlib.sha256(raw).hexdigest(),
    )


def _section(name: str, node: yaml.Node, shown: str, problems: list[str]) -> list[Entry]:
    import yaml

    if _node_text(node) is None and isinstance(node, yaml.ScalarNode):
        return []  # an empty section
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{shown}:{_line(node)}: `{name}:` holds `old id: new id` lines")
        return []
    entries = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        old = _node_text(key_node)
        where = f"{shown}:{_line(key_node)}"
        if not old:
            problems.append(f"{where}: an entry of `{name}:` needs an old id before the colon")
            continue
        if old in seen:
            problems.append(f"{where}: `{old}` is mapped twice in `{name}:`; list every counterpart in one entry")
            continue
        seen.add(old)
        entry = _entry(name, old, value_node, where, problems)
        if entry is not None:
            entries.append(entry)
    return entries


def _targets(node: object, where: str, problems: list[str]) -> tuple[str, ...] | None:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        text = _node_text(node)
        return () if text is None else (text,)
    if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in node.value):
        targets = tuple(_node_text(item) or "" for item in node.value)
        if not all(targets):
            problems.append(f"{where}: a list of counterparts cannot hold an empty id")
            return None
        return targets
    problems.append(f"{where}: the counterpart is an id, a list of ids [a, b], or null for none")
    return None


def _entry(section: str, old: str, node: object, where: str, problems: list[str]) -> Entry | None:
    import yaml

    line = int(where.rsplit(":", 1)[1])
    if not isinstance(node, yaml.MappingNode):
        targets = _targets(node, where, problems)
        return None if targets is None else Entry(section, old, targets, None, None, line)
    fields: dict[str, object] = {}
    for key_node, value_node in node.value:
        key = _node_text(key_node) or ""
        if key not in _ENTRY_KEYS:
            problems.append(f"{where}: unknown key `{key}:` in the entry for `{old}`; use to:, why: or proposed:")
            return None
        fields[key] = value_node
    if "to" not in fields:
        problems.append(f"{where}: the entry for `{old}` needs `to:` (an id, a list of ids, or null)")
        return None
    targets = _targets(fields["to"], where, problems)
    why = _node_text(fields["why"]) if "why" in fields else None
    proposed: float | None = None
    if "proposed" in fields:
        try:
            proposed = float(_node_text(fields["proposed"]) or "")
        except ValueError:
            problems.append(f"{where}: `proposed:` is the similarity score of a proposal, a number from 0 to 1")
            return None
    if targets is None:
        return None
    if section in ("rules",) and len(targets) > 1:
        problems.append(f"{where}: a rating rule maps to one rule, or to null")
        return None
    return Entry(section, old, targets, why, proposed, line)


def find_mapping(folders: list[Path], old_id: str, new_id: str) -> tuple[Path, bool] | None:
    """The mapping file for two frameworks in `mappings/` beside them, and whether it runs new→old.

    Files are tried in name order. One that is not YAML at all stops the search with a
    MappingError: skipping it could silently leave confirmed pairs unused.
    """
    for folder in dict.fromkeys(f / "mappings" for f in folders):
        if not folder.is_dir():
            continue
        for candidate in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            ids = _header_ids(candidate)
            if ids == (old_id, new_id):
                return candidate, False
            if ids == (new_id, old_id):
                return candidate, True
    return None


def mappings_in(folders: list[Path]) -> list[Mapping]:
    """Every mapping file in `mappings/` beside the given folders, in folder and name order."""
    from precepts.dsl.loader import display_path

    found = []
    for folder in dict.fromkeys(f / "mappings" for f in folders):
        if not folder.is_dir():
            continue
        for candidate in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            if _header_ids(candidate) is not None:
                found.append(read_mapping(candidate, display_path(candidate)))
    return found


def mapping_for(folders: list[Path], old_id: str, new_id: str) -> Mapping | None:
    """The mapping between two frameworks found in `mappings/` beside them, read the right way round."""
    from precepts.dsl.loader import display_path

    found = find_mapping(folders, old_id, new_id)
    if found is None:
        return None
    path, backwards = found
    mapping = read_mapping(path, display_path(path))
    return mapping.inverted() if backwards else mapping


def _header_ids(path: Path) -> tuple[str, str] | None:
    """The `old:` and `new:` of a mapping file, read leniently: the rest is checked once it is chosen."""
    import yaml

    from precepts.dsl.loader import display_path

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise MappingError([f"{display_path(path)}: cannot read this mapping file: {error}"]) from None
    if not isinstance(root, yaml.MappingNode):
        return None
    header = {_node_text(k): _node_text(v) for k, v in root.value if isinstance(v, yaml.ScalarNode)}
    old, new = header.get("old"), header.get("new")
    return (old, new) if old and new else None
