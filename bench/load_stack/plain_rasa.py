"""A plain Rasa model to compare with: the `rasa init` project, trained once into var/bench/plain_rasa."""

import shutil
import subprocess
from pathlib import Path

from scripts.stack import ROOT, ServiceSpec

PLAIN_DIR = ROOT / "var" / "bench" / "plain_rasa"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"


def trained_plain_model() -> Path:
    """The plain model, trained with `rasa init --no-prompt` the first time (about 2-3 minutes)."""
    models = sorted((PLAIN_DIR / "models").glob("*.tar.gz")) if PLAIN_DIR.exists() else []
    if models:
        return models[-1]
    if PLAIN_DIR.exists():
        shutil.rmtree(PLAIN_DIR)
    PLAIN_DIR.mkdir(parents=True)
    print("  training the plain `rasa init` model once into var/bench/plain_rasa (about 2-3 minutes)", flush=True)
    subprocess.run([str(RASA), "init", "--no-prompt", "--init-dir", str(PLAIN_DIR)], cwd=PLAIN_DIR, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={"PATH": "/usr/bin:/bin", "RASA_TELEMETRY_ENABLED": "false", "HOME": str(Path.home())})
    return sorted((PLAIN_DIR / "models").glob("*.tar.gz"))[-1]


def plain_rasa_spec(port: int, var_dir: Path) -> ServiceSpec:
    """The plain model served the way ours is: REST channel, SQL tracker store on SQLite, --quiet."""
    model = trained_plain_model()
    endpoints = var_dir / "plain_endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  url: sqlite:///{var_dir / 'plain_tracker.db'}\n",
                         encoding="utf-8")
    return ServiceSpec(
        name="plain-rasa",
        command=[str(RASA), "run", "--model", str(model), "--endpoints", str(endpoints),
                 "--credentials", str(PLAIN_DIR / "credentials.yml"), "--interface", "127.0.0.1",
                 "--port", str(port), "--quiet"],
        health_url=f"http://127.0.0.1:{port}/",
        env={"RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"},
    )
