"""Shared material for the `precepts diff` tests: two small versions of a framework, and helpers.

The demo's second version renumbers Assessment, moves court reports out of an NPS-only
domain under a new heading (keeping its id), inserts a prompt before two prompts with
declared ids, rewords with a preferred term, changes two bands and adds a hurdle.
"""

from __future__ import annotations

from pathlib import Path

from support import FRAMEWORKS

from precepts.compiler.model import Framework
from precepts.pipeline import check_path

FRAMEWORK_2017 = FRAMEWORKS / "hmip-probation-2017-draft.precepts"
FRAMEWORK_2021 = FRAMEWORKS / "hmip-adult-2021.precepts"
MAPPING_2017_2021 = FRAMEWORKS / "mappings" / "hmip-2017-draft-to-2021.yaml"

RULES = """\
level pdu: PDU inspection
attribute provider: nps, crc

scale rating: Rating levels
  grade inadequate "Inadequate"
  grade requires-improvement "Requires improvement"
  grade good "Good"
  grade outstanding "Outstanding"
"""

DEMO_ONE = f"""\
framework demo
title: Demo standards
version: one
status: draft
{RULES}
banding results: Key question results
  scale: rating
  rounding: half up to whole percent
  band minority "Minority": below 50% gives inadequate
  band too-few "Too few": 50% to 64% gives requires-improvement
  band reasonable "Reasonable majority": 65% to 79% gives good
  band large "Large majority": 80% and above gives outstanding

domain 1 Casework
  standard 1.1 Assessment
    text: Assessment is well-informed and analytical, actively involving the service user.
    rated: from cases using results

    question 1.1.1 Does assessment focus on engaging the service user?
      a) Is the service user involved in their assessment?
        id: involved
      b) Does assessment draw on available sources of information?
        id: sources

domain 2 NPS work
  applies to: provider is nps

  standard 2.1 Court reports
    text: Advice to court supports its decisions.
    rated: from cases using results

    question 2.1.1 Is the advice to court well-informed?
      id: advice
      a) Does the advice draw on available sources of information?
        id: advice-sources
      b) Is an appropriate proposal made to court?
        id: proposal
"""

DEMO_TWO = f"""\
framework demo
title: Demo standards
version: two
status: consultation
preferred term: "person on probation" instead of "service user"
{RULES}
banding results: Key question results
  scale: rating
  rounding: half up to whole percent
  band minority "Minority": below 50% gives inadequate
  band too-few "Too few": 50% to 69% gives requires-improvement
  band reasonable "Reasonable majority": 70% to 79% gives good
  band large "Large majority": 80% and above gives outstanding

judgement diversity: Approach to diversity
  scale: rating

hurdle diversity-assessment: Inadequate on diversity caps assessment
  when: diversity is inadequate
  then: assessment is at most good

domain 1 Casework
  standard 1.1 Court work
    id: court-reports
    text: Advice to court supports its decisions.
    rated: from cases using results

    question 1.1.1 Is the advice to court well-informed?
      id: advice
      a) Does the advice draw on available sources of information, including safeguarding information?
        id: advice-sources
      b) Is an appropriate proposal made to court?
        id: proposal

  standard 1.2 Assessment
    text: Assessment is well-informed and analytical, and actively involves the person on probation.
    rated: from cases using results

    question 1.2.1 Does assessment focus on engaging the person on probation?
      a) Does assessment analyse the diversity of the person on probation <b>&amp; their needs</b>?
      b) Is the person on probation involved in their assessment?
        id: involved
      c) Does assessment draw on available sources of information?
        id: sources
"""


def write_demo(folder: Path) -> tuple[Path, Path]:
    one, two = folder / "demo-one.precepts", folder / "demo-two.precepts"
    one.write_text(DEMO_ONE, encoding="utf-8")
    two.write_text(DEMO_TWO, encoding="utf-8")
    return one, two


def framework(path: Path) -> Framework:
    result = check_path(path)
    assert result.framework is not None and not result.has_errors, [d.message for d in result.diagnostics]
    return result.framework
