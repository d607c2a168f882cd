"""Dependency versions are pinned, and what is installed is what is pinned.

The vulnerability check itself (`pip-audit`) needs the OSV or PyPI advisory service, which this network
does not reach; `make audit` runs it where it can. This offline part keeps the pins honest so that an
audit of requirements/*.txt is an audit of what actually runs.
"""

import re
import subprocess
from importlib import metadata

import pytest

from api.settings import REPO_ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)")


def pins(name: str) -> dict[str, str]:
    lines = (REPO_ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines()
    return {m.group(1).lower().split("[")[0]: m.group(2) for line in lines if (m := PIN.match(line.strip()))}


def requirement_lines(name: str) -> list[str]:
    lines = (REPO_ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith(("#", "-"))]


@pytest.mark.parametrize("name", ["app.txt", "rasa.txt"])
def test_every_frozen_requirement_is_pinned_to_one_version(name):
    unpinned = [line for line in requirement_lines(name) if not PIN.match(line)]
    assert not unpinned, f"requirements/{name}: not pinned with ==: {unpinned}"


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_app_environment_runs_the_pinned_versions():
    installed = {normalised(d.metadata["Name"]): d.version for d in metadata.distributions()}
    drift = {name: (pinned, installed[normalised(name)]) for name, pinned in pins("app.txt").items()
             if normalised(name) in installed and installed[normalised(name)] != pinned}
    missing = [name for name in pins("app.txt") if normalised(name) not in installed]
    assert not drift, f"installed versions differ from requirements/app.txt (pinned, installed): {drift}"
    assert not missing, f"pinned but not installed: {missing}"


def test_the_rasa_environment_runs_the_pinned_versions():
    pip = REPO_ROOT / ".venv-rasa" / "bin" / "pip"
    if not pip.exists():
        pytest.skip(".venv-rasa is not installed (make install)")
    frozen = subprocess.run([str(pip), "list", "--format=freeze", "--disable-pip-version-check"],
                            capture_output=True, text=True, timeout=120, check=True).stdout
    installed = {normalised(m.group(1)): m.group(2) for line in frozen.splitlines() if (m := PIN.match(line))}
    drift = {name: (pinned, installed.get(normalised(name))) for name, pinned in pins("rasa.txt").items()
             if installed.get(normalised(name)) != pinned}
    assert not drift, f"installed versions differ from requirements/rasa.txt (pinned, installed): {drift}"


def osv_reachable(timeout_seconds: float = 5.0) -> bool:
    """Whether pip-audit's vulnerability service (OSV) answers from this network."""
    import httpx

    try:
        return httpx.post("https://api.osv.dev/v1/query", json={"package": {"name": "pip", "ecosystem": "PyPI"},
                                                                 "version": "0.0.1"},
                          timeout=timeout_seconds).status_code == 200
    except httpx.HTTPError:
        return False


def test_no_pinned_dependency_has_a_known_vulnerability():
    """pip-audit over both frozen requirement files, wherever OSV can be reached (the same as `make audit`)."""
    if not osv_reachable():
        pytest.skip("api.osv.dev is not reachable from this network; `make audit` runs this check where it is")
    result = subprocess.run([str(REPO_ROOT / ".venv" / "bin" / "pip-audit"), "--progress-spinner", "off",
                             "--no-deps", "--disable-pip", "-r", "requirements/app.txt", "-r", "requirements/rasa.txt"],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"pip-audit found known vulnerabilities:\n{result.stdout[-4000:]}"
