"""Reference tools for the benchmarks, each in its own virtual environment under bench/out.

    tool("jrnl", "jrnl==4.6")  ->  Path to bench/out/tools/jrnl/bin/jrnl

The first call creates the environment and installs the pinned requirement; later calls reuse
it. Tools stay out of levelup's own environment so that their dependencies cannot change ours.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "bench" / "out" / "tools"
# did's Kerberos dependency (gssapi) compiles against these headers.
APT_NEEDS = {"did": ("libkrb5-dev", "krb5-config")}


def tool(script: str, requirement: str) -> Path | None:
    """The console script ``script`` of ``requirement``, installed on first use; None if it
    cannot be installed here (the reason is printed)."""
    venv = TOOLS / script
    path = venv / "bin" / script
    if path.exists():
        return path
    debian, probe = APT_NEEDS.get(script, ("", ""))
    if debian and shutil.which(probe) is None:
        print(f"installing Debian's {debian} for {script}…", flush=True)
        for step in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", debian]):
            subprocess.run(step, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    print(f"installing {requirement} into {venv}…", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                           requirement], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not path.exists():
        print(f"could not install {requirement}: {done.stderr.strip()[-400:]}")
        return None
    return path


@cache
def levelup_env() -> dict[str, str]:
    """The environment for timing levelup as users run it: bytecode compiled and reused.

    A pip install compiles levelup's modules once; an editable install under
    PYTHONDONTWRITEBYTECODE=1 would compile them again in every process.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
