"""The ``okr-workshop`` command run as a user runs it: a subprocess, in a folder, with an environment of its own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Command:
    """The ``okr-workshop`` command as ``python -m okr_workshop``, run in ``cwd`` with the environment ``env``."""

    cwd: Path
    env: Mapping[str, str]

    def with_env(self, **variables: str) -> Command:
        """The command with these environment variables set as well."""
        return replace(self, env={**self.env, **variables})

    def _start(self, args: Iterable[object]) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "okr_workshop", *map(str, args)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=self.cwd, env=dict(self.env))

    @staticmethod
    def _finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
        stdout, stderr = process.communicate(timeout=120)
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def __call__(self, *args: object) -> subprocess.CompletedProcess:
        """Run one command to its end."""
        return self._finish(self._start(args))

    def together(self, commands: Mapping[str, list[object]]) -> dict[str, subprocess.CompletedProcess]:
        """Run every command at once (each spends a second importing pandas); their results by name."""
        started = {name: self._start(args) for name, args in commands.items()}
        return {name: self._finish(process) for name, process in started.items()}
