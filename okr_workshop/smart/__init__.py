"""The SMART check: how a key result's words are read, the rules that judge them, and the check itself.

- :mod:`~okr_workshop.smart.language`: the text engine (numbers, deadlines, measures, outcome or output).
- :mod:`~okr_workshop.smart.rules`: one rule per unit, each with its finding and suggestion.
- :mod:`~okr_workshop.smart.check`: run the rules on a key result, an objective or a workbook.
- :mod:`~okr_workshop.smart.render`: the check for people (terminal text, an HTML page).
"""
