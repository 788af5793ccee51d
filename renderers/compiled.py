"""The compiled framework as JSON: a published, versioned format for downstream tools.

Key order is fixed by construction and nothing depends on time or the machine, so the
same input always gives byte-identical output.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from precepts.compiler import model as m
from precepts.renderers.source_paths import published_path

FORMAT = "precepts-framework"
FORMAT_VERSION = 1


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def condition(node: m.Condition | None) -> dict[str, Any] | None:
    if node is None:
        return None
    if isinstance(node, m.AllOf):
        return {"all_of": [condition(item) for item in node.items]}
    if isinstance(node, m.AnyOf):
        return {"any_of": [condition(item) for item in node.items]}
    return {"subject": node.subject, "name": node.name, "op": node.op, "values": list(node.values)}


def _references(references: tuple[m.Reference, ...]) -> list[dict[str, Any]]:
    return [{"text": r.text, "target": r.target} for r in references]


def _band(band: m.Band) -> dict[str, Any]:
    return {
        "id": band.id,
        "label": band.label,
        "low": _number(band.low),
        "high": _number(band.high),
        "high_inclusive": band.high_inclusive,
        "grade": band.grade,
    }


def prompt(p: m.Prompt) -> dict[str, Any]:
    return {
        "id": p.id,
        "letter": p.letter,
        "number": p.number,
        "text": p.text,
        "levels": list(p.levels),
        "applies_to": condition(p.applies_to),
        "tags": list(p.tags),
        "references": _references(p.references),
        "line": p.span.line,
    }


def question(q: m.Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "number": q.number,
        "text": q.text,
        "levels": list(q.levels),
        "applies_to": condition(q.applies_to),
        "tags": list(q.tags),
        "references": _references(q.references),
        "prompts": [prompt(p) for p in q.prompts],
        "line": q.span.line,
    }


def standard(s: m.Standard) -> dict[str, Any]:
    return {
        "id": s.id,
        "number": s.number,
        "heading": s.heading,
        "levels": list(s.levels),
        "text": {t.level: t.text for t in s.texts},
        "rating": {
            r.level: {"method": r.method, "banding": r.banding, "reported_at": r.reported_at,
                      **({"scale": r.scale} if r.scale is not None else {})}
            for r in s.ratings
        },
        "applies_to": condition(s.applies_to),
        "tags": list(s.tags),
        "references": _references(s.references),
        "source": s.source,
        "characteristics": [{"grade": c.grade, "text": c.text} for c in s.characteristics],
        "questions": [question(q) for q in s.questions],
        "line": s.span.line,
    }


def framework_document(f: m.Framework) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "framework": {
            "id": f.id,
            "kind": f.kind,
            "title": f.title,
            "version": f.version,
            "date": f.date,
            "status": f.status,
            "source": f.source,
            "licence": f.licence,
            "prompt_limit": f.prompt_limit,
        },
        "source_file": {
            "path": published_path(f.file), "sha256": f.sha256, "includes": [published_path(i) for i in f.includes],
        },
        "levels": [{"id": lv.id, "name": lv.name} for lv in f.levels],
        "case_attributes": [{"id": a.id, "values": list(a.values)} for a in f.attributes],
        "domains": [
            {
                "id": d.id,
                "number": d.number,
                "heading": d.heading,
                "levels": list(d.levels),
                "applies_to": condition(d.applies_to),
                "sections": [
                    {"heading": s.heading, "levels": list(s.levels), "standards": list(s.standards)}
                    for s in d.sections
                ],
                "standards": [standard(s) for s in d.standards],
            }
            for d in f.domains
        ],
        "questionnaires": [
            {
                "id": q.id,
                "title": q.title,
                "levels": list(q.levels),
                "scale": q.scale,
                "instructions": list(q.instructions),
                "source": q.source,
                "items": [
                    {
                        "id": item.id,
                        "kind": item.kind,
                        "text": item.text,
                        "options": list(item.options),
                        "references": _references(item.references),
                        "line": item.span.line,
                    }
                    for item in q.items
                ],
            }
            for q in f.questionnaires
        ],
        "rating_rules": {
            "scales": [
                {
                    "id": s.id,
                    "name": s.name,
                    "grades": [{"id": g.id, "label": g.label, "score": _number(g.score)} for g in s.grades],
                }
                for s in f.scales
            ],
            "bandings": [
                {
                    "id": b.id,
                    "name": b.name,
                    "scale": b.scale,
                    "rule": "lowest-banding",
                    "rounding": b.rounding,
                    "bands": [_band(band) for band in b.bands],
                    "source": b.source,
                    **({"few_cases": b.few_cases} if b.few_cases is not None else {}),
                }
                for b in f.bandings
            ],
            "composites": [
                {
                    "id": c.id,
                    "name": c.name,
                    "scale": c.scale,
                    "levels": list(c.levels),
                    "score": c.score,
                    "scores": {grade: _number(value) for grade, value in c.scores},
                    "weights": {standard: _number(value) for standard, value in c.weights},
                    "rounding": c.rounding,
                    "bands": [_band(band) for band in c.bands],
                    "source": c.source,
                }
                for c in f.composites
            ],
            "judgements": [
                {
                    "id": j.id,
                    "name": j.name,
                    "scale": j.scale,
                    "levels": list(j.levels),
                    "source": j.source,
                }
                for j in f.judgements
            ],
            "hurdles": [
                {
                    "id": h.id,
                    "name": h.name,
                    "levels": list(h.levels),
                    "when": condition(h.when),
                    "then": condition(h.then),
                    "source": h.source,
                }
                for h in f.hurdles
            ],
        },
        "open_rules": [
            {"subject": o.subject, "what": o.what, "reason": o.reason} for o in f.open_rules
        ],
        "preferred_terms": [{"preferred": t.preferred, "instead_of": t.instead_of} for t in f.preferred_terms],
        "consultation_questions": [{"subject": c.subject, "text": c.text} for c in f.consultation_questions],
        "waivers": [{"code": w.code, "subject": w.subject, "reason": w.reason} for w in f.waivers],
        # Only a framework with translations has the key, so that English-only output is as it was.
        **({"translations": translations(f)} if f.translations else {}),
    }


def translations(f: m.Framework) -> dict[str, Any]:
    """Each language's texts, keyed by the text's id as the PO file keys it (issue 16 §3).

    A text without a translation is left out (its English stands); `current` is false where
    the English has changed since it was translated, or the translator marked it fuzzy.
    """
    from precepts.compiler.translations import source_texts

    texts = source_texts(f)
    document: dict[str, Any] = {}
    for t in f.translations:
        entries = {e.key: e for e in t.entries if e.text.strip()}
        document[t.language] = {
            "name": t.name,
            "file": published_path(t.file),
            "sha256": t.sha256,  # so `build --check` tells a changed translation file (renderers/freshness.py)
            "texts": {
                s.key: {"text": entries[s.key].text, "current": entries[s.key].source == s.text and not entries[s.key].fuzzy}
                for s in texts
                if s.key in entries
            },
        }
    return document


def render(framework: m.Framework) -> str:
    return json.dumps(framework_document(framework), indent=2, ensure_ascii=False) + "\n"
