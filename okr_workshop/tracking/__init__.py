"""The quarter as it goes: scores, where key results stand, status, check-ins and the end of the quarter.

- :mod:`~okr_workshop.tracking.scoring`: key result types, progress, scores, roll-ups, grades.
- :mod:`~okr_workshop.tracking.standing`: where each key result stands on a date.
- :mod:`~okr_workshop.tracking.checkins`: recording and reading check-ins.
- :mod:`~okr_workshop.tracking.status` and :mod:`~okr_workshop.tracking.status_render`: the quarter's status,
  and the same for a terminal.
- :mod:`~okr_workshop.tracking.cascade`: alignment, gaps and reach.
- :mod:`~okr_workshop.tracking.review`, :mod:`~okr_workshop.tracking.calibration` and
  :mod:`~okr_workshop.tracking.carryover`: the quarter's end and the start of the next.
- :mod:`~okr_workshop.tracking.charts`: the charts of all this (altair, offline).
"""
