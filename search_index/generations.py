"""The index directory's generations: which one is live, which are complete, what each has applied.

A generation `gen-<n>/` is a complete Whoosh index once its STATE file exists: a build writes it after its
commit and before `CURRENT` may name the generation, so a directory without one is a build in progress or a
killed build. STATE holds the position the generation has applied (the caller's change log number) and how
long its build took. `live()` is `CURRENT` when that names a complete generation, else the newest complete one:
a garbage or dangling `CURRENT` falls back to the last good generation instead of to an empty index. A
generation found broken is moved aside (`broken-<n>`) so no process opens it again.

Two locks, both `flock` (released by the kernel when a process dies): `generations.lock` for creating,
swapping and removing generations (one build per directory at a time), `write.lock` for the writes to the live
generation and their STATE, waited for at most the caller's time budget.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from whoosh import index as whoosh_index

STATE = "STATE.json"
KEPT_GENERATIONS = 2  # the live one and its predecessor, which other processes may still be reading
LOCK_POLL = 0.01  # seconds between attempts at a held lock


class IndexBusy(Exception):
    """Another writer held the lock for longer than the caller could wait."""


@dataclass(frozen=True)
class GenerationState:
    position: int  # the last change applied
    build_seconds: float | None = None


class Generations:
    def __init__(self, directory: str):
        self.directory = directory

    def path(self, name: str) -> str:
        return os.path.join(self.directory, name)

    def names(self) -> list[str]:
        try:
            return sorted(name for name in os.listdir(self.directory) if re.fullmatch(r"gen-\d{6}", name))
        except FileNotFoundError:
            return []

    def pointer(self) -> str | None:
        """The generation `CURRENT` names, if it names one at all."""
        try:
            with open(self.path("CURRENT"), "rb") as handle:
                name = handle.read(64).decode("ascii", "replace").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return name if re.fullmatch(r"gen-\d{6}", name) else None

    def state(self, name: str) -> GenerationState | None:
        """The generation's STATE; None when it is not complete. The generation `CURRENT` names without a
        STATE was written before generations had one: it has applied everything before the change log's
        first position."""
        try:
            with open(os.path.join(self.path(name), STATE)) as handle:
                data = json.load(handle)
            return GenerationState(int(data["position"]), data.get("build_seconds"))
        except FileNotFoundError:
            if name == self.pointer() and whoosh_index.exists_in(self.path(name)):
                return GenerationState(0)
            return None
        except (ValueError, KeyError, TypeError, OSError):
            return None  # a garbage STATE: not a generation to trust

    def live(self) -> str | None:
        """The generation searches use: `CURRENT`'s when complete, else the newest complete one."""
        pointed = self.pointer()
        if pointed and self.state(pointed) is not None:
            return pointed
        for name in reversed(self.names()):
            if self.state(name) is not None and whoosh_index.exists_in(self.path(name)):
                return name
        return None

    def write_state(self, name: str, state: GenerationState) -> None:
        temporary = os.path.join(self.path(name), STATE + ".tmp")
        with open(temporary, "w") as handle:
            json.dump({"position": state.position, "build_seconds": state.build_seconds}, handle)
        os.replace(temporary, os.path.join(self.path(name), STATE))

    def create(self, schema) -> str:
        """A new, empty, incomplete generation (only under `exclusive`)."""
        os.makedirs(self.directory, exist_ok=True)
        numbers = [int(name[4:]) for name in self.names()]
        name = f"gen-{max(numbers, default=0) + 1:06d}"
        os.mkdir(self.path(name))
        whoosh_index.create_in(self.path(name), schema)
        return name

    def activate(self, name: str) -> None:
        """Make the complete generation `name` live and remove the ones no process needs any more."""
        pointer = self.path("CURRENT.tmp")
        with open(pointer, "w") as handle:
            handle.write(name)
        os.replace(pointer, self.path("CURRENT"))
        complete = [other for other in self.names() if self.state(other) is not None]
        for old in complete[:-KEPT_GENERATIONS]:
            if old != name:
                shutil.rmtree(self.path(old), ignore_errors=True)

    def remove_leftovers(self) -> None:
        """Killed builds and broken generations (only under `exclusive`: then no build is under way)."""
        live = self.live()
        for name in os.listdir(self.directory) if os.path.isdir(self.directory) else []:
            killed_build = re.fullmatch(r"gen-\d{6}", name) and name != live and self.state(name) is None
            if killed_build or name.startswith("broken-"):
                shutil.rmtree(self.path(name), ignore_errors=True)

    def set_aside(self, name: str) -> None:
        """A generation that failed to read: out of every process's way (removed by the next build), and
        `CURRENT` pointed at the last good one unless a build, which will point it at its own, is under way."""
        try:
            os.rename(self.path(name), self.path(f"broken-{name[4:]}-{os.getpid()}-{time.time_ns()}"))
        except OSError:
            return  # already gone (another process set it aside, or a build removed it)
        self.repair_pointer()

    def repair_pointer(self) -> None:
        """Point a garbage or dangling `CURRENT` at the live generation (the last good one), unless a build is
        under way: it points `CURRENT` at its own generation when done."""
        with self.exclusive(blocking=False) as held:
            live = self.live()
            if held and live is not None and self.pointer() != live:
                self.activate(live)

    @contextmanager
    def exclusive(self, blocking: bool = True) -> Iterator[bool]:
        """Hold `generations.lock`; yields False at once, without it, when not `blocking` and it is held."""
        with self._locked("generations.lock", None if blocking else 0) as held:
            yield held

    @contextmanager
    def writing(self, timeout: float) -> Iterator[None]:
        """Hold `write.lock`, waiting at most `timeout` seconds (IndexBusy after that)."""
        with self._locked("write.lock", timeout) as held:
            if not held:
                raise IndexBusy(f"the index's write lock was held for over {timeout:.1f} s")
            yield

    @contextmanager
    def _locked(self, filename: str, timeout: float | None) -> Iterator[bool]:
        os.makedirs(self.directory, exist_ok=True)
        with open(self.path(filename), "w") as handle:
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | (0 if deadline is None else fcntl.LOCK_NB))
                    break
                except OSError as error:
                    if error.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(LOCK_POLL)
            yield True
