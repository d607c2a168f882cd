"""Train the Rasa model only when its inputs (config, domain, bot data, custom NLU components) changed.

Usage: python scripts/train_if_stale.py <rasa executable>
The stamp ``models/hips.inputs.sha256`` holds the hash of the inputs the model was trained on.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "hips.tar.gz"
STAMP = ROOT / "models" / "hips.inputs.sha256"


def inputs_digest() -> str:
    """Hash the training inputs by path and content, in a stable order."""
    files = [ROOT / "config.yml", ROOT / "domain.yml", *sorted((ROOT / "bot").rglob("*.yml")),
             *sorted((ROOT / "nlu_components").rglob("*.py"))]
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main() -> int:
    """Train when the model is missing or stale; return the exit code."""
    rasa = sys.argv[1]
    digest = inputs_digest()
    if MODEL.exists() and STAMP.exists() and STAMP.read_text().strip() == digest:
        print(f"model up to date ({MODEL.relative_to(ROOT)})")
        return 0
    print("training the dialogue model (inputs changed or no model yet) ...", flush=True)
    command = [rasa, "train", "--data", "bot", "--domain", "domain.yml", "--config", "config.yml",
               "--out", "models", "--fixed-model-name", "hips", "--force"]
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode == 0:
        STAMP.write_text(digest + "\n")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
