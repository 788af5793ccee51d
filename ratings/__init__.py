"""Ratings as code: the rating engine, its input formats and outputs, and rule cases.

run.py is the one road (compile → plan → schema → validate → read → rate); engine.py
orders the rules; standards.py, composites.py, hurdles.py and panel.py apply them;
banding.py places results in bands; explanations travel with every result (verdicts.py).
"""
