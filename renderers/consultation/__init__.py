"""The consultation page of a framework (`consultation.html`): the page and its template
(page.py), what it shows worked out from the model (view.py), the rating rules in words
(rules.py), and the anchors that link its parts (anchors.py)."""
