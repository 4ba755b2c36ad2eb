"""Whole pages from templates: the jinja2 templates and stylesheets in ``okr_workshop/pages/templates/``.

Every value a template shows is escaped (autoescape), so people's text can go
in as it is; markup built in code (an SVG chart, a section already rendered)
goes in as :class:`markupsafe.Markup`. A name the templates do not use is an
error, never an empty string.
"""

from __future__ import annotations

from functools import cache

import jinja2

__all__ = ["render", "stylesheet"]


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("okr_workshop.pages", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def render(template: str, /, **context) -> str:
    """The page ``template`` (a file in ``templates/``) filled with ``context``, every value escaped."""
    return _environment().get_template(template).render(**context)


def stylesheet(name: str) -> str:
    """The text of the stylesheet ``name`` in ``templates/`` (for a page that must stand alone, without links)."""
    loader = _environment().loader
    source, _filename, _uptodate = loader.get_source(_environment(), name)
    return source
