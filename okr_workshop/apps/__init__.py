"""The workshop apps (ipywidgets): one class per notebook, each usable from plain Python.

>>> app = CompanyObjectivesApp("workshop.db")   # in a notebook, the last line shows it
"""

from okr_workshop.apps.cascade import CascadeApp
from okr_workshop.apps.checkins import CheckinsApp
from okr_workshop.apps.company import CompanyObjectivesApp
from okr_workshop.apps.course import OnboardingCourse
from okr_workshop.apps.dashboard import FacilitatorDashboard
from okr_workshop.apps.individual import IndividualApp
from okr_workshop.apps.review import ReviewApp

__all__ = [
    "CascadeApp", "CheckinsApp", "CompanyObjectivesApp", "FacilitatorDashboard", "IndividualApp", "OnboardingCourse",
    "ReviewApp",
]
