"""Build the Teams app package: ``dist/hips-teams-app.zip`` with manifest.json, color.png and outline.png.

Run by ``make teams-package``. Reads from the environment:
- ``HIPS_TEAMS_APP_ID``: the bot's Entra app (client) id, a GUID; also used as the Teams app id;
- ``HIPS_TEAMS_PUBLIC_HOST``: the host name that serves ``/api/messages`` (e.g. ``assistant.example.org``);
- ``HIPS_TEAMS_APP_VERSION`` (optional): the package version, ``x.y.z``; defaults to pyproject's version.

The icons are drawn here with the standard library (zlib + struct), so nothing binary is committed.
"""

import argparse
import io
import json
import os
import re
import struct
import sys
import tomllib
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
TEMPLATE = HERE / "manifest.template.json"
DEFAULT_OUT = REPO_ROOT / "dist" / "hips-teams-app.zip"

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
HOST = re.compile(r"^(?=.{1,253}$)([a-zA-Z0-9-]{1,63}\.)+[a-zA-Z]{2,63}$")
PLACEHOLDER = re.compile(r"\{\{[A-Z_]+\}\}")

RGBA = tuple[int, int, int, int]
WHITE: RGBA = (255, 255, 255, 255)
TRANSPARENT: RGBA = (0, 0, 0, 0)


class PackageError(Exception):
    """A setting the package needs is missing or malformed."""


def shield(x: float, y: float) -> bool:
    """A shield outline in unit coordinates (0..1, y down): the icon's one shape."""
    if y < 0.14 or y > 0.88:
        return False
    half_width = 0.33 if y <= 0.55 else 0.33 * (0.88 - y) / 0.33
    return abs(x - 0.5) <= half_width


def draw(size: int, inside: Callable[[float, float], bool], fill: RGBA, background: RGBA) -> list[list[RGBA]]:
    """Rasterise ``inside`` at ``size`` x ``size`` by pixel centres (no anti-aliasing: pure colours only)."""
    return [
        [fill if inside((col + 0.5) / size, (row + 0.5) / size) else background for col in range(size)]
        for row in range(size)
    ]


def png_bytes(pixels: list[list[RGBA]]) -> bytes:
    """Encode RGBA rows as a PNG (8-bit RGBA, no filtering)."""
    height, width = len(pixels), len(pixels[0])

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"".join(bytes(pixel) for pixel in row) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _hex_colour(value: str) -> RGBA:
    return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16), 255)


def icons(accent_colour: str) -> dict[str, bytes]:
    """The two icons Teams requires: 192x192 full colour, 32x32 white on transparent."""
    return {
        "color.png": png_bytes(draw(192, shield, WHITE, _hex_colour(accent_colour))),
        "outline.png": png_bytes(draw(32, shield, WHITE, TRANSPARENT)),
    }


def _fill(node: Any, values: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(value, values) for value in node]
    if isinstance(node, str):
        for name, value in values.items():
            node = node.replace("{{" + name + "}}", value)
    return node


def default_version() -> str:
    """The service's version from pyproject.toml."""
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def build_manifest(app_id: str, public_host: str, version: str, template: Path = TEMPLATE) -> dict[str, Any]:
    """Fill the manifest template, checking each value first (all problems reported together).

    Raises:
        PackageError: listing every missing or malformed value.
    """
    problems = []
    if not GUID.match(app_id):
        problems.append(f"HIPS_TEAMS_APP_ID: not a GUID (got {app_id!r})")
    if not HOST.match(public_host):
        problems.append(f"HIPS_TEAMS_PUBLIC_HOST: not a host name (got {public_host!r})")
    if not SEMVER.match(version):
        problems.append(f"HIPS_TEAMS_APP_VERSION: not x.y.z (got {version!r})")
    if problems:
        raise PackageError("\n".join(problems))
    manifest = _fill(
        json.loads(template.read_text(encoding="utf-8")),
        {"APP_ID": app_id.lower(), "PUBLIC_HOST": public_host.lower(), "VERSION": version},
    )
    leftover = sorted(set(PLACEHOLDER.findall(json.dumps(manifest))))
    if leftover:
        raise PackageError(f"{template}: placeholders with no value: {', '.join(leftover)}")
    return manifest


def build_package(app_id: str, public_host: str, version: str, out: Path) -> Path:
    """Write the zip Teams accepts: the three files at the top level of the archive."""
    manifest = build_manifest(app_id, public_host, version)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        for name, data in icons(manifest["accentColor"]).items():
            archive.writestr(name, data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return out


def main(argv: list[str] | None = None) -> int:
    """Build the package from the environment; print the problems (no traceback) and exit 1 on bad settings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the zip")
    args = parser.parse_args(argv)
    try:
        path = build_package(
            os.environ.get("HIPS_TEAMS_APP_ID", ""),
            os.environ.get("HIPS_TEAMS_PUBLIC_HOST", ""),
            os.environ.get("HIPS_TEAMS_APP_VERSION") or default_version(),
            args.out,
        )
    except PackageError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Teams app package: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
