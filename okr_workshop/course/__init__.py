"""The onboarding course: lessons and exercises, the cohort's record, and the certificate.

- :mod:`~okr_workshop.course.lessons`: lessons, exercises with immediate feedback, the graded final exercise.
- :mod:`~okr_workshop.course.cohort`: every graded attempt in the store, and what the cohort did.
- :mod:`~okr_workshop.course.certificate`: the one-page certificate (HTML and PDF).
"""
