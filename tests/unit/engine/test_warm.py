"""The warm-up `make install` runs compiles every engine kernel into Numba's cache, with the
argument types the commands use: after it, `match`, `upgrade` and `chances` compile nothing."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from numba.core.registry import CPUDispatcher

from altmatch import engine

SEASON = Path(__file__).parents[3] / "examples" / "season"


def kernels() -> list[str]:
    """`module.function` of every jitted function in the engine, wherever it moves them."""
    found = []
    for info in pkgutil.iter_modules(engine.__path__):
        module = importlib.import_module(f"{engine.__name__}.{info.name}")
        found += [
            f"{info.name}.{name}"
            for name, value in vars(module).items()
            if isinstance(value, CPUDispatcher) and value.__module__ == module.__name__
        ]
    return sorted(found)


def cache_files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*.nb[ic]")}


def run(args: list[str], cache: Path) -> None:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def warmed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("numba-cache")
    run(["-m", "altmatch.engine.warm"], cache)
    return cache


def test_the_warm_up_caches_every_kernel(warmed: Path) -> None:
    indexed = {p.name.split("-", 1)[0] for p in warmed.rglob("*.nbi")}
    assert kernels(), "no kernels found: has the engine moved them?"
    missing = [k for k in kernels() if k not in indexed]
    assert not missing, f"the warm-up never compiles {missing}: extend altmatch.engine.warm"
    assert all(any(warmed.rglob(f"{k}-*.nbc")) for k in kernels())


def test_after_the_warm_up_the_commands_compile_nothing(warmed: Path, tmp_path: Path) -> None:
    before = cache_files(warmed)
    season = ["--season", str(SEASON)]
    run(["-m", "altmatch", "match", *season, "--seed", "1", "--out", str(tmp_path / "m")], warmed)
    run(
        [
            *("-m", "altmatch", "upgrade", *season, "--from", str(tmp_path / "m")),
            *("--withdraw", "C01", "--out", str(tmp_path / "u")),
        ],
        warmed,
    )
    run(
        [
            *("-m", "altmatch", "chances", *season, "--runs", "20", "--seed", "1"),
            *("--out", str(tmp_path / "c")),
        ],
        warmed,
    )
    assert cache_files(warmed) == before, "a command compiled a kernel the warm-up did not"
