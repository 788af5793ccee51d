"""Every diagnostic code precepts can report: its readable name, severity and explanation.

Codes are stable: a code is never reused for another meaning. Tests build the expected
output from this table, so a message cannot drift from its code.
"""

from __future__ import annotations

from enum import Enum

from precepts.diagnostics import Diagnostic, Related, Severity, Span


class Code(Enum):
    # value: (code, readable name, default severity, explanation)

    # ---- reading files and syntax (S) ------------------------------------------------
    UNREADABLE_FILE = (
        "S001", "unreadable-file", Severity.ERROR,
        "The file could not be read as a framework: it is missing, is a folder, is not "
        "UTF-8 text, or looks like a binary file.\n\n"
        "Framework files are plain UTF-8 text. Save the file as UTF-8 (most editors offer "
        "this under 'Save as' or 'Encoding') and check the path you gave.",
    )
    SYNTAX_ERROR = (
        "S002", "syntax-error", Severity.ERROR,
        "A line does not follow the framework language: a word, number or punctuation mark "
        "is not what the line needs at that point.\n\n"
        "Every line starts with a keyword (such as `standard`, `question` or `at:`) or, for a "
        "prompt, with its letter such as `a)`. The message says what the line needed instead; "
        "the README's tour of the language shows each kind of line.",
    )
    UNKNOWN_KEYWORD = (
        "S003", "unknown-keyword", Severity.ERROR,
        "A line starts with a word that is not a keyword of the framework language, often a "
        "misspelling.\n\nUse one of the keywords the message suggests. A line of ordinary text "
        "must follow a keyword: for example a standard's sentence goes after `text:`.",
    )
    MISPLACED_LINE = (
        "S004", "misplaced-line", Severity.ERROR,
        "A line appears where nothing above it can hold it: a prompt before any key question, "
        "a key question before any standard, or a line such as `rounding:` under a heading "
        "that has no rounding.\n\nEach line belongs to the nearest heading above it that can "
        "hold it. Move the line under the right heading.",
    )
    BAD_INCLUDE = (
        "S005", "bad-include", Severity.ERROR,
        "An `include:` cannot be followed: the file does not exist, lies outside the project "
        "folder, or the includes form a cycle (a file that, through its includes, includes "
        "itself).\n\nIncludes let several frameworks share one set of rating rules. Give a "
        "path relative to the including file that stays inside the project, and break any "
        "cycle.",
    )

    # ---- the model (M) -----------------------------------------------------------------
    UNKNOWN_NAME = (
        "M001", "unknown-name", Severity.ERROR,
        "A line names a level, scale, grade, banding, case attribute or standard that the "
        "framework does not define.\n\nDefine it (for example `level pdu: PDU standards`) or "
        "correct the spelling; the message suggests the nearest defined names.",
    )
    INVALID_VALUE = (
        "M002", "invalid-value", Severity.ERROR,
        "A line has a value the language does not accept, such as a status other than draft, "
        "consultation or final, or a rounding rule it cannot read.\n\nUse one of the values "
        "the message lists.",
    )
    MISSING_FRAMEWORK = (
        "M003", "missing-framework-header", Severity.ERROR,
        "A framework file must begin with `framework ID` (or `rules ID` for a file of shared "
        "rating rules meant to be included).\n\nAdd the header line at the top of the file.",
    )
    INCONSISTENT_PARTS = (
        "M004", "inconsistent-standard-parts", Severity.ERROR,
        "One standard (one id) is written in several places, one per level, but the places "
        "disagree on its number or heading.\n\nA standard keeps one number and one heading "
        "at every level; its text and key questions may differ by level. Make the number and "
        "heading agree, or give the parts different ids if they are different standards.",
    )

    # ---- structure (N) -------------------------------------------------------------------
    NUMBERING = (
        "N001", "numbering-mismatch", Severity.ERROR,
        "An element's number does not fit where it stands: a standard 1.2 must sit in domain "
        "1, and a key question 1.2.3 under standard 1.2 (2017 consultation §3.8 sets out this "
        "numbering scheme).\n\nNumbers are written as published, so a mismatch is either a "
        "transcription slip or a fault in the published text. Correct a slip; waive a "
        "published fault with the reason.",
    )
    NUMBER_SEQUENCE = (
        "N002", "number-sequence", Severity.ERROR,
        "Numbers or letters within one level do not run in order: key questions 1.1.1, "
        "1.1.2, 1.1.3…, prompts a), b), c)… with no gap or repeat.\n\nA gap usually means "
        "a missing element; a repeat, a copied one. Renumber, or add what is missing.",
    )
    DUPLICATE_ID = (
        "N003", "duplicate-id", Severity.ERROR,
        "Two elements share an id at the same level. Ids are how downstream tools, "
        "references and change reports recognise an element, so each must be unique.\n\n"
        "Give one of them its own `id:`. One standard may be written once per level with the "
        "same id only when the levels do not overlap.",
    )
    TOO_MANY_PROMPTS = (
        "N004", "too-many-prompts", Severity.ERROR,
        "A key question has more prompts than the framework allows. The 2017 consultation "
        "(§3.12) says 'no key question should have more than ten prompts', because the more "
        "prompts a key question has, the harder they are to balance into a single "
        "judgement.\n\nSplit the key question, merge prompts, or declare another limit with "
        "`prompt limit:`.",
    )

    # ---- duplicates (D) --------------------------------------------------------------------
    DUPLICATE_PROMPT = (
        "D001", "duplicate-prompt", Severity.ERROR,
        "Two or more prompts at the same level say exactly the same thing, once case, "
        "spacing, quotes and punctuation are set aside. Inspectors would answer the same "
        "question twice, and its weight in the judgement doubles.\n\nRemove or reword the "
        "copy. If the duplicate is in the published text, keep it verbatim and waive the "
        "finding with the reason.",
    )

    # ---- references (X) ----------------------------------------------------------------------
    UNRESOLVED_REFERENCE = (
        "X001", "unresolved-reference", Severity.ERROR,
        "A cross-reference (`see:`) names no element of the framework, or names several.\n\n"
        "Write the published number (such as 1.3.2a), qualified by the level where the number "
        "exists at more than one (pdu/1.3.2a), or the element's id. The message suggests the "
        "nearest existing ones.",
    )

    # ---- rating rules (R) ----------------------------------------------------------------------
    OPEN_RULE = (
        "R001", "open-rule", Severity.INFO,
        "The framework marks a rule as open: the published document leaves it unsettled, so "
        "the model records no value and any rating that needs it is undetermined.\n\nThis is "
        "information, not a fault. Settle the rule in a later version of the framework, "
        "citing where it was decided.",
    )
    RATING_RULE = (
        "R002", "rating-rule-error", Severity.ERROR,
        "A rating rule cannot work as written: a band names a grade the scale lacks, a "
        "standard is rated from cases without a banding, or a hurdle names something that "
        "is not a standard or judgement.\n\nCorrect the rule so that every name it uses is "
        "defined.",
    )

    # ---- waivers (W) --------------------------------------------------------------------------
    UNUSED_WAIVER = (
        "W001", "unused-waiver", Severity.WARNING,
        "A `waive` line matches no finding on its element. The fault it excused has been "
        "fixed, or the waiver sits under the wrong element or names the wrong code.\n\n"
        "Remove the waiver, or move it under the element the finding is about.",
    )

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def readable_name(self) -> str:
        return self.value[1]

    @property
    def severity(self) -> Severity:
        return self.value[2]

    @property
    def explanation(self) -> str:
        return self.value[3]

    def __call__(
        self,
        message: str,
        span: Span | None,
        *,
        help: str | None = None,
        related: tuple[Related, ...] = (),
        subjects: tuple[str, ...] = (),
        severity: Severity | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            name=self.readable_name,
            severity=severity or self.severity,
            message=message,
            span=span,
            help=help,
            related=related,
            subjects=subjects,
        )


BY_CODE: dict[str, Code] = {c.code: c for c in Code}
BY_NAME: dict[str, Code] = {c.readable_name: c for c in Code}


def lookup(code_or_name: str) -> Code | None:
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
