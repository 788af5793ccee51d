"""Every diagnostic code precepts can report: its readable name, severity and explanation.

Codes are stable: a code is never reused for another meaning. Tests build the expected
output from this table, so a message cannot drift from its code.
"""

from __future__ import annotations

from enum import Enum

from precepts.core.diagnostics import Diagnostic, Related, Severity, Span


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

    INPUT_TOO_LARGE = (
        "S006", "input-too-large", Severity.ERROR,
        "A file or a line is larger than precepts reads: a file over 16 MB, or a line over "
        "10,000 characters (the largest real framework is 40 kB, its longest line about a "
        "thousand characters).\n\nSuch input is almost always a wrong file (an export, a "
        "document saved as text) or a file whose line breaks were lost. A file too large is "
        "not read; a line too long is reported and skipped. If the input is right, raise the "
        "limit: `--max-file-size MB` or `--max-line-length N` (or the environment variables "
        "PRECEPTS_MAX_FILE_SIZE and PRECEPTS_MAX_LINE_LENGTH; 0 means no limit).",
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
    DUPLICATE_DEFINITION = (
        "M005", "duplicate-definition", Severity.ERROR,
        "A level, case attribute, scale or banding is defined twice with one name, in one "
        "file or across included files. Every line naming it would mean whichever definition "
        "precepts kept, so the second is not used: the first definition stands.\n\n"
        "Remove the copy, or give it a name of its own if it is a different definition.",
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

    DUPLICATE_NUMBER = (
        "N005", "duplicate-number", Severity.ERROR,
        "Two elements at the same level share a number: two standards 1.2 in one domain, two "
        "key questions 1.2.1 under one standard, or two prompts b) under one key question.\n\n"
        "Numbers identify elements in reports and references, so each must be unique within "
        "its level. Renumber the copy, or remove it if it was pasted twice.",
    )
    EMPTY_ELEMENT = (
        "N006", "empty-element", Severity.ERROR,
        "An element has nothing in it: a standard without key questions (at some level), a "
        "key question without prompts, or a standard without its standard text.\n\n"
        "The framework structure (2017 consultation §3.8) gives every standard a sentence of "
        "standard text and key questions, and every key question its prompts. Add what is "
        "missing, or waive the finding where the published document has none.",
    )
    NOT_A_QUESTION = (
        "N007", "not-a-question", Severity.WARNING,
        "A key question or prompt is not phrased as a question. Key questions and prompts "
        "have a binary yes or no response (2017 consultation §3.2), so each should read as a "
        "question and end with a question mark.\n\nRephrase it as a question, or waive the "
        "finding if the published wording is not a question.",
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

    NEAR_DUPLICATE_PROMPT = (
        "D002", "near-duplicate-prompt", Severity.WARNING,
        "Two prompts at the same level say nearly the same thing with small wording changes "
        "(their words overlap above the similarity threshold). Standards, key questions and "
        "prompts 'must be sufficiently discrete, one from another' (2017 consultation "
        "§3.12).\n\nMerge the two, or reword one so they ask different things. The message "
        "gives the similarity score (shared words ÷ all words) and both texts.",
    )

    # ---- levels and coverage (L) ------------------------------------------------------------
    MISSING_LEVEL_QUESTIONS = (
        "L001", "level-without-questions", Severity.ERROR,
        "A standard applies at a level but has no key questions there, so inspectors at that "
        "level have nothing to answer.\n\nAdd the level's key questions, or take the level "
        "off the standard's `at:`.",
    )
    UNRATED_AT_LEVEL = (
        "L002", "no-rating-rule", Severity.WARNING,
        "A standard applies at a level but does not say how it is rated there: from cases, by "
        "judgement, not rated, percentages only, reported at another level, or open.\n\n"
        "Add a `rated:` line to the standard's part at that level. Standards reported at "
        "another level (2021 statutory victim work) or without a rating (2021 outcomes) say "
        "so, and are then left out of that level's composite.",
    )
    LEVEL_GAP = (
        "L003", "level-gap", Severity.WARNING,
        "A standard is present at one level of its domain but absent at another. In the 2021 "
        "consultation every domain-one standard has a regional and a PDU part (§3.7, Annexe "
        "1); a standard missing at one level is usually an omission.\n\nAdd the missing part, "
        "or declare the gap on the standard with `absent at LEVEL: reason`.",
    )

    # ---- references (X) ----------------------------------------------------------------------
    UNRESOLVED_REFERENCE = (
        "X001", "unresolved-reference", Severity.ERROR,
        "A cross-reference (`see:`) names no element of the framework, or names several.\n\n"
        "Write the published number (such as 1.3.2a), qualified by the level where the number "
        "exists at more than one (pdu/1.3.2a), or the element's id. The message suggests the "
        "nearest existing ones.",
    )

    REFERENCE_WRONG_LEVEL = (
        "X002", "reference-wrong-level", Severity.ERROR,
        "A cross-reference resolves, but only to an element at another level than the one "
        "citing it: for example a PDU questionnaire item citing a regional prompt.\n\n"
        "Qualify the reference with the right level (pdu/1.4.2a), or correct the number.",
    )
    CITING_TEXT_MISMATCH = (
        "X003", "citing-text-mismatch", Severity.WARNING,
        "The text that cites an element (such as a questionnaire item and its 'Inspector use' "
        "prompt) shares almost no words with the element it cites, while another element "
        "matches it far better. The reference probably points at the wrong number.\n\n"
        "Check the reference; the message shows both texts and suggests the best-matching "
        "element. If the published reference is wrong, keep it and waive the finding.",
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
        "is not a standard or judgement, compares a rating with a grade its scale lacks, or "
        "its 'then:' is not a limit on a rating (at most, at least or is a grade).\n\nCorrect the rule so that every name it uses is "
        "defined.",
    )

    BANDING_INCOMPLETE = (
        "R003", "banding-incomplete", Severity.ERROR,
        "A banding does not cover 0–100% exactly once: some result falls in no band (a gap) "
        "or in two (an overlap). Like a decision table, the bands must be complete and "
        "unambiguous. Bands published in whole percentages (<50%, 50–64%, 65–79%, 80%+, 2017 "
        "consultation §4.8) leave gaps such as 64.5% unless the rounding of results to whole "
        "percentages is stated.\n\nClose the gap or overlap, or state the rounding with "
        "`rounding: half up to whole percent` (or down, or half even).",
    )
    ROUNDING_NOT_STATED = (
        "R004", "rounding-not-stated", Severity.WARNING,
        "A banding does not say how a result on or between band boundaries is rounded, so "
        "two people can band the same result differently.\n\nAdd `rounding:` with the "
        "published rule, or `rounding: open` with an `open:` reason if the document leaves "
        "it unsettled.",
    )
    SCALE_INCONSISTENT = (
        "R005", "scale-inconsistent", Severity.ERROR,
        "A rating scale or a rule using it is inconsistent: a grade id or label used twice, "
        "scores given for some grades but not others or not rising with the grade, or bands "
        "that give a lower grade for a higher result.\n\nThe rating levels run from lowest to "
        "highest (2017 consultation §4.1, §4.22: Inadequate 0, Requires improvement 1, Good 2, "
        "Outstanding 3). Make grades, scores and bands agree with that order.",
    )
    COMPOSITE_BANDS = (
        "R006", "composite-bands", Severity.ERROR,
        "A composite rule's bands do not cover exactly 0 to the highest possible total (top "
        "score × number of standards rated at that level, for each provider module), with no "
        "gap and no overlap. The 2017 consultation (§4.22) bands totals 0–30 for ten standards "
        "scored 0–3; when the count of rated standards changes, bands written for another "
        "count no longer fit.\n\nRewrite the bands for the count the message gives, or "
        "correct which standards are rated at that level.",
    )
    HURDLE_CYCLE = (
        "R007", "hurdle-cycle", Severity.ERROR,
        "Hurdles depend on each other in a cycle: one caps a rating that another hurdle's "
        "condition reads, round and round, so no order of applying them is right.\n\nBreak "
        "the cycle: a hurdle should depend only on ratings no other hurdle changes after it.",
    )
    HURDLE_NEVER_FIRES = (
        "R008", "hurdle-never-fires", Severity.WARNING,
        "A hurdle can never fire, or can never change an outcome: across every combination of "
        "ratings its condition is never met, or the rating it caps is always already within the "
        "cap. (Checked by enumerating the finite space of ratings.) A hurdle such as 2021 "
        "§4.5's — a PDU Inadequate on diversity cannot be Outstanding on leadership — must be "
        "able to bite.\n\nCorrect the condition or the cap.",
    )

    # ---- wording (T) ------------------------------------------------------------------------
    NON_PREFERRED_TERM = (
        "T001", "non-preferred-term", Severity.WARNING,
        "The text uses a term the framework has replaced. The 2021 documents say 'person on "
        "probation' where the earlier ones said 'service user'.\n\nUse the preferred term, "
        "declared with `preferred term: \"new\" instead of \"old\"`; if the published text "
        "keeps the old term, waive the finding.",
    )
    MISSPELLING = (
        "T002", "misspelling", Severity.WARNING,
        "A word is not in the English dictionary nor in the project's word list of the "
        "domain's vocabulary (PDU, MAPPA, desistance, …).\n\nCorrect the spelling; if the "
        "word is right, add it to the framework's `words:` line; if the published text has "
        "the misspelling, keep it and waive the finding.",
    )
    DOUBLED_WORD = (
        "T003", "doubled-word", Severity.WARNING,
        "The same word appears twice in a row ('the the'), almost always a slip.\n\nRemove "
        "one copy; if the published text has it, keep it and waive the finding.",
    )
    UNBALANCED = (
        "T004", "unbalanced-brackets", Severity.WARNING,
        "A bracket or quotation mark is opened and not closed, or closed without being "
        "opened.\n\nClose or remove it; if the published text has it, waive the finding.",
    )

    # ---- waivers (W) --------------------------------------------------------------------------
    UNUSED_WAIVER = (
        "W001", "unused-waiver", Severity.WARNING,
        "A `waive` line matches no finding on its element. The fault it excused has been "
        "fixed, or the waiver sits under the wrong element or names the wrong code.\n\n"
        "Remove the waiver, or move it under the element the finding is about.",
    )

    # ---- translations (G, for gettext) ---------------------------------------------------------
    MISSING_TRANSLATION = (
        "G001", "missing-translation", Severity.WARNING,
        "A framework has a translation file (such as `FRAMEWORK.cy.po` for Welsh), but a text of "
        "the framework (a domain or standard heading, a standard's text, a key question or a "
        "prompt) has no translation in it: no entry, or an empty `msgstr`.\n\nAdd the entry, "
        "keyed by the text's id in `msgctxt` with the English verbatim as `msgid`; the message "
        "gives both. Until then the English is shown in that language's outputs.",
    )
    OUTDATED_TRANSLATION = (
        "G002", "outdated-translation", Severity.WARNING,
        "A translation no longer matches its English: the entry's `msgid` (the English it was "
        "translated from) differs from the framework's text, the entry is marked `fuzzy`, or its "
        "`msgctxt` names no text of the framework any more.\n\nReview the translation against "
        "the new English, then set `msgid` to the English as it now is (translation tools do "
        "this when they update from a template) and remove `fuzzy`; remove entries for texts "
        "that are gone.",
    )
    TRANSLATION_NUMBERING = (
        "G003", "translation-numbering", Severity.ERROR,
        "A translation's numbering or lettering differs from its English: the entry translates "
        "another element's text (written for 1.1.1b but filed under 1.1.1a), or the "
        "translation's numbers or bracketed letters (`50%`, `1.3.2a`, `(b)`) are not those of "
        "the English.\n\nMove the translation to the entry of the element it translates, or "
        "correct the numbers; readers of the translation would otherwise be sent to the wrong "
        "place or read a different rule.",
    )
    UNREADABLE_TRANSLATION = (
        "G004", "unreadable-translation", Severity.ERROR,
        "A translation file beside the framework could not be read: it is not UTF-8, not a "
        "gettext PO file, or its name does not give a language Babel knows "
        "(`FRAMEWORK.LANGUAGE.po`, such as `hmip-adult-2021.cy.po`).\n\nThe message gives the "
        "line where reading stopped. Translation tools such as Poedit write valid PO files.",
    )

    # ---- inputs: rating input, mapping files and rule-case files (I) -------------------------
    UNREADABLE_INPUT = (
        "I001", "unreadable-input", Severity.ERROR,
        "An input file could not be read: it is missing, is not UTF-8 text (a spreadsheet "
        "saved as UTF-16 or Latin-1 is named as such), or is not valid JSON, CSV or YAML.\n\n"
        "Save the file as UTF-8 (in Excel, 'CSV UTF-8'); the message gives the line and "
        "column where reading stopped.",
    )
    INVALID_RATING_INPUT = (
        "I002", "invalid-rating-input", Severity.ERROR,
        "A record of the rating input does not match the JSON Schema the framework generates "
        "at the level (`precepts rate FRAMEWORK --schema` prints it): an unknown key question, "
        "an answer other than yes, no or n/a, n/a where the framework's applicability rules do "
        "not allow it, a count that is not a whole number of cases, a grade the scale lacks.\n\n"
        "The message names the record, the field, what the schema expects there and what was "
        "found. Correct the record, or the export that wrote it.",
    )
    INCONSISTENT_RATING_INPUT = (
        "I003", "inconsistent-rating-input", Severity.ERROR,
        "Rating input that the schema accepts but that cannot be true: more cases sufficient "
        "than inspected, a unit or a case recorded twice (each case is inspected once), a case "
        "whose attributes contradict its unit's, one key question given both as case records "
        "and as counts or under two names, or results for a standard that does not apply to "
        "the unit.\n\nThe message names both places where two records disagree. Keep one.",
    )
    CSV_LAYOUT = (
        "I004", "csv-layout", Severity.ERROR,
        "A CSV file of case records is not laid out as `precepts rate` reads it: one row per "
        "case, a header naming a `unit` column, an optional `case` column, then one column per "
        "case attribute, key question and prompt (by number or id), every row as wide as the "
        "header, and every row naming its unit.\n\nCorrect the header (the message suggests "
        "the nearest known column names) or the row.",
    )
    EMPTY_EXPORT = (
        "I005", "empty-export", Severity.ERROR,
        "A CSV export holds no case records (only its header), or no answers (only `unit` and "
        "`case` columns). Rating it would give no ratings and succeed, so a CI job would pass "
        "on an export that failed.\n\nExport the records again; where an empty export is "
        "expected, say so with `precepts rate --allow-empty`.",
    )
    INVALID_MAPPING = (
        "I006", "invalid-mapping-file", Severity.ERROR,
        "A mapping file (which element of one framework version is which in the next, read by "
        "`precepts diff`) is not what the format needs: not YAML, no `old:` and `new:` "
        "framework ids, an unknown section, or an entry that is not an element id mapped to "
        "one id, a list of ids, or `removed`.\n\nThe README's section on the mapping file "
        "shows the format; `precepts diff --propose` writes one to start from.",
    )
    INVALID_RULE_CASE = (
        "I007", "invalid-rule-case-file", Severity.ERROR,
        "A rule-case file (rules tested as data, under tests/rating_cases/) is not what the "
        "format needs: not YAML, a case without `name`, `framework`, `input` or `expected`, an "
        "unknown key, two cases with one name, or a tally without `name` or `expected`.\n\nThe README's 'Rules tested as data' shows a case file.",
    )
    UNREADABLE_WORD_FILE = (
        "I008", "unreadable-word-file", Severity.ERROR,
        "`precepts import` was given a file it cannot read as a Word document: not a .docx "
        "(an older .doc, a PDF, a renamed file), or a .docx whose parts are broken.\n\n"
        "Open the document in Word (or LibreOffice) and save it as a Word Document (.docx), "
        "then import that file.",
    )
    UNPLACED_TABLE = (
        "I009", "unplaced-table", Severity.WARNING,
        "A Word document being imported has a table. A framework's text is domains, standards, "
        "key questions and prompts, one statement a line, so a table has no place in it: its "
        "cells are kept in the imported file as comments, a row a line, where the table stood.\n\n"
        "If the table holds standards or prompts, write them as paragraphs (numbered, or under "
        "headings) and import again, or move the text from the comments into the framework by "
        "hand. If it is a rating table, write it as a banding or composite rule.",
    )
    UNPLACED_PICTURE = (
        "I010", "unplaced-picture", Severity.WARNING,
        "A Word document being imported has a picture (a drawing, an image or an embedded "
        "object). A framework holds only text, so the picture cannot be imported; a comment "
        "marks where it was.\n\nIf the picture shows text, such as a diagram of the domains, "
        "write that text in the framework.",
    )
    UNPLACED_TEXT = (
        "I011", "unplaced-text", Severity.WARNING,
        "Paragraphs of a Word document being imported could not be placed in the framework's "
        "outline: a paragraph between levels (under a domain but before any standard, after a key "
        "question's prompts), a heading that is not a domain, standard or section, or text under "
        "a heading outside the framework (an introduction, a glossary). The message gives the "
        "paragraph numbers, the headings above them and their Word styles. Nothing is dropped: "
        "the text is kept in the imported file as comments where it stood.\n\n"
        "Number the paragraph as the level it belongs to (1.1 for a standard, 1.1.1 for a key "
        "question, a) for a prompt, with Word's numbering or typed) or move it under the right "
        "heading, and import again; or move the text from the comment by hand.",
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
