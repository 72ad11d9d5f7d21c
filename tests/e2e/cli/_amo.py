"""The installed ``amo`` entry point, called as users' scripts call it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
AMO = shutil.which("amo", path=str(Path(sys.executable).parent))


def amo(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert AMO, "le point d'entrée amo doit être installé (make install)"
    return subprocess.run(
        [AMO, *args], input=stdin, capture_output=True, text=True, check=False, cwd=ROOT
    )
