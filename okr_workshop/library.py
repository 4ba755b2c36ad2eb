"""The example library and the session guides the workshop apps show.

Both are plain YAML in the project's ``templates/`` folder, so a facilitator
adapts them by editing text, not code:

- ``templates/library/<function>.yaml``: example objectives for one function
  (sales, engineering, ...), each with good key results and weak ones that
  say why they are weak and how to write them better;
- ``templates/sessions/<session>.yaml``: the guided steps of one workshop
  session (leadership, cascade, individual, checkins, facilitator), each with
  a prompt, a tip and a timebox in minutes.

>>> library = load_library()
>>> "sales" in library.functions
True
>>> load_session("checkins").duration_minutes
15

A file that is not valid raises :class:`~okr_workshop.exceptions.WorkbookError`
whose problems name the file, the line and the field.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from okr_workshop.exceptions import Problem, WorkbookError

__all__ = [
    "LEVELS", "TEMPLATES_ENV", "Example", "Library", "Session", "Step", "WeakKeyResult", "load_library",
    "load_session", "session_names", "templates_folder",
]

TEMPLATES_ENV = "OKR_WORKSHOP_TEMPLATES"
"""Environment variable naming a templates folder, used when the package has none next to it."""
LEVELS = ("company", "team", "individual")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_MODEL = ConfigDict(extra="forbid", frozen=True)


class WeakKeyResult(BaseModel):
    """A key result as people often write it, what is wrong with it and a rewrite that fixes it."""

    model_config = _MODEL
    title: Text
    why_weak: Text
    better: Text


class Example(BaseModel):
    """One example objective with good and weak key results."""

    model_config = _MODEL
    function: str = ""
    """The function it comes from (the file's name), filled in when the library is loaded."""
    objective: Text
    why: Text
    level: Literal["company", "team", "individual"]
    good: list[Text] = Field(min_length=1)
    weak: list[WeakKeyResult] = Field(min_length=1)


class _FunctionFile(BaseModel):
    model_config = _MODEL
    function: str | None = None
    title: Text
    examples: list[Example] = Field(min_length=1)


class Library(BaseModel):
    """Every function's examples, as loaded from one folder."""

    model_config = ConfigDict(frozen=True)
    folder: Path
    titles: dict[str, str]
    """Function name to its display title (``public_sector`` → ``Public sector``)."""
    by_function: dict[str, list[Example]]

    @property
    def functions(self) -> list[str]:
        """The function names, in alphabetical order."""
        return list(self.by_function)

    def examples(self, function: str | None = None, level: str | None = None) -> list[Example]:
        """The examples of one function (or all), optionally of one level only."""
        if function is not None and function not in self.by_function:
            raise KeyError(f"No function named {function!r} in the example library; known: {', '.join(self.functions)}")
        if level is not None and level not in LEVELS:
            raise ValueError(f"No level named {level!r}; expected one of {', '.join(LEVELS)}")
        groups = [self.by_function[function]] if function is not None else self.by_function.values()
        return [e for group in groups for e in group if level is None or e.level == level]


class Step(BaseModel):
    """One step of a session: what to do, a tip, and how long to give it."""

    model_config = _MODEL
    id: str = ""
    """A short name apps can refer to; made from the title when not given."""
    title: Text
    prompt: Text
    tip: Text
    minutes: int = Field(gt=0)
    watch: Text | None = None
    """For the facilitator: what to look at on the dashboard during the step."""
    intervene: Text | None = None
    """For the facilitator: when to step in, and how."""

    @pydantic.model_validator(mode="before")
    @classmethod
    def _default_id(cls, data):
        if isinstance(data, dict) and not data.get("id") and isinstance(data.get("title"), str):
            data = {**data, "id": re.sub(r"[^a-z0-9]+", "_", data["title"].lower()).strip("_")}
        return data


class Session(BaseModel):
    """A session guide: who it is for, its steps and how long it takes."""

    model_config = _MODEL
    name: str = ""
    """The session's name (the file's name), filled in when loaded."""
    title: Text
    audience: Text
    agenda_notes: Text
    steps: list[Step] = Field(min_length=1)
    duration_minutes: int = Field(gt=0)
    """The sum of the steps' minutes (declared after ``steps`` so it is checked against them)."""

    @pydantic.field_validator("steps")
    @classmethod
    def _ids_differ(cls, steps: list[Step]) -> list[Step]:
        ids = [step.id for step in steps]
        if len(set(ids)) != len(ids):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"steps with different ids; these repeat: {', '.join(repeated)}")
        return steps

    @pydantic.field_validator("duration_minutes")
    @classmethod
    def _steps_fill_the_duration(cls, minutes: int, info: pydantic.ValidationInfo) -> int:
        steps = info.data.get("steps")
        if steps is not None and sum(step.minutes for step in steps) != minutes:
            raise ValueError(f"the sum of the steps' minutes, {sum(step.minutes for step in steps)}")
        return minutes

    def agenda(self, start: int = 0) -> list[tuple[int, Step]]:
        """Each step with the minute it starts at, counting from ``start``."""
        rows, minute = [], start
        for step in self.steps:
            rows.append((minute, step))
            minute += step.minutes
        return rows


def templates_folder() -> Path:
    """The templates folder: the one next to the package (a source checkout or editable install),
    else the folder named by ``$OKR_WORKSHOP_TEMPLATES``.
    """
    beside = Path(__file__).resolve().parent.parent / "templates"
    if (beside / "library").is_dir() or (beside / "sessions").is_dir():
        return beside
    if os.environ.get(TEMPLATES_ENV):
        return Path(os.environ[TEMPLATES_ENV]).expanduser()
    raise WorkbookError([Problem(str(beside), None, None, "no templates folder",
                                 f"a templates folder next to the package, or its path in ${TEMPLATES_ENV}")])


def _folder(folder: str | os.PathLike | None, kind: str) -> Path:
    """``kind`` (library or sessions) inside the templates folder, or in ``folder``, or ``folder`` itself."""
    if folder is None:
        return templates_folder() / kind
    folder = Path(folder)
    return folder / kind if (folder / kind).is_dir() else folder


def load_library(folder: str | os.PathLike | None = None) -> Library:
    """Read every ``<function>.yaml`` of the example library; every problem of every file is reported at once.

    ``folder`` is a templates folder (holding ``library/``) or the library folder itself;
    by default, the project's templates.
    """
    folder = _folder(folder, "library")
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise WorkbookError([Problem(str(folder), None, None, "no .yaml files", "one <function>.yaml per function")])
    titles, by_function, problems = {}, {}, []
    for path in files:
        parsed = _read(path, _FunctionFile, problems)
        if parsed is None:
            continue
        if parsed.function not in (None, path.stem):
            problems.append(Problem(str(path), _line_of(path, ("function",)), "function", repr(parsed.function),
                                    f"the file's name, {path.stem!r} (or no function field)"))
            continue
        titles[path.stem] = parsed.title
        by_function[path.stem] = [e.model_copy(update={"function": path.stem}) for e in parsed.examples]
    if problems:
        raise WorkbookError(problems)
    return Library(folder=folder, titles=titles, by_function=by_function)


def session_names(folder: str | os.PathLike | None = None) -> list[str]:
    """The sessions there are guides for, in alphabetical order."""
    return sorted(path.stem for path in _folder(folder, "sessions").glob("*.yaml"))


def load_session(name: str, folder: str | os.PathLike | None = None) -> Session:
    """Read the guide of one session (``leadership``, ``cascade``, ``individual``, ``checkins``, ``facilitator``)."""
    path = _folder(folder, "sessions") / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(session_names(folder)) or "none"
        raise KeyError(f"No session named {name!r} in {path.parent}; known: {known}")
    problems: list[Problem] = []
    session = _read(path, Session, problems)
    if problems:
        raise WorkbookError(problems)
    return session.model_copy(update={"name": name})


def _read(path: Path, model: type[BaseModel], problems: list[Problem]):
    """The file validated as ``model``, or None with its problems added to ``problems``."""
    try:
        loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(str(path), None, None, f"an unreadable file ({error})", "a UTF-8 YAML file"))
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(Problem(str(path), mark.line + 1 if mark else None, None,
                                f"invalid YAML ({getattr(error, 'problem', None) or error})", "valid YAML"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(str(path), None, None, f"{type(data).__name__}, not a mapping",
                                "a mapping of fields such as title: ..."))
        return None
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        for item in error.errors():
            loc = tuple(item["loc"])
            field = next((str(part) for part in reversed(loc) if isinstance(part, str)), None)
            problems.append(Problem(str(path), _line(node, loc), field, _found(item), _expected(item)))
        return None


def _found(item: dict) -> str:
    if item["type"] == "missing":
        return "nothing"
    if item["type"] == "extra_forbidden":
        return f"an unknown field {str(item['loc'][-1])!r}"
    text = repr(item.get("input"))
    return text if len(text) <= 60 else text[:59] + "…"


def _expected(item: dict) -> str:
    if item["type"] == "missing":
        return f"a value for {str(item['loc'][-1])!r}"
    if item["type"] == "extra_forbidden":
        return "only the documented fields (check the spelling)"
    message = item["msg"]
    for prefix in ("Value error, ", "Input should be "):
        message = message.removeprefix(prefix)
    return message[0].lower() + message[1:] if message else "a valid value"


def _line(node: yaml.Node | None, loc: tuple) -> int | None:
    """The line (from 1) of the deepest node along ``loc`` that the file has."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                break
            key, node = match
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _line_of(path: Path, loc: tuple) -> int | None:
    return _line(yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader), loc)
