"""The Teams app package: the right files, a valid manifest for our bot, icons of the sizes Teams requires."""

import json
import re
import struct
import zipfile
import zlib

import pytest

from teams.build_package import PackageError, build_manifest, build_package, main

APP_ID = "3b6d2f1c-0000-4000-8000-00000000b0f1"
HOST = "assistant.example.org"


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Decode the unfiltered 8-bit RGBA PNGs the builder writes (enough to check them)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert (depth, colour_type) == (8, 6)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + 4 * width
    pixels = [tuple(raw[r * stride + 1 + 4 * c : r * stride + 5 + 4 * c]) for r in range(height) for c in range(width)]
    return width, height, pixels


@pytest.fixture
def package(tmp_path):
    return zipfile.ZipFile(build_package(APP_ID, HOST, "1.2.3", tmp_path / "hips-teams-app.zip"))


def test_the_zip_holds_exactly_the_manifest_and_two_icons_at_the_top_level(package):
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]


def test_the_manifest_is_for_our_bot_with_the_fields_teams_requires(package):
    manifest = json.loads(package.read("manifest.json"))
    assert manifest["manifestVersion"] == "1.17"
    assert "v1.17/MicrosoftTeams.schema.json" in manifest["$schema"]
    assert manifest["version"] == "1.2.3"
    assert manifest["id"] == APP_ID
    assert [bot["botId"] for bot in manifest["bots"]] == [APP_ID]
    assert manifest["validDomains"] == [HOST]
    for field in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert manifest["developer"][field].startswith(f"https://{HOST}/")
    assert manifest["developer"]["name"]
    assert 0 < len(manifest["name"]["short"]) <= 30 and len(manifest["name"]["full"]) <= 100
    assert 0 < len(manifest["description"]["short"]) <= 80 and len(manifest["description"]["full"]) <= 4000
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", manifest["accentColor"])
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert "{{" not in json.dumps(manifest)


def test_conversations_about_children_stay_in_one_to_one_chats(package):
    manifest = json.loads(package.read("manifest.json"))
    assert {scope for bot in manifest["bots"] for scope in bot["scopes"]} == {"personal"}


def test_the_colour_icon_is_192_square_and_opaque(package):
    width, height, pixels = png_pixels(package.read("color.png"))
    assert (width, height) == (192, 192)
    assert all(pixel[3] == 255 for pixel in pixels)
    assert len(set(pixels)) == 2


def test_the_outline_icon_is_32_square_white_on_transparent(package):
    width, height, pixels = png_pixels(package.read("outline.png"))
    assert (width, height) == (32, 32)
    assert set(pixels) == {(255, 255, 255, 255), (0, 0, 0, 0)}


def test_every_bad_setting_is_reported_at_once():
    with pytest.raises(PackageError) as error:
        build_manifest("not-a-guid", "https://host/", "1.0")
    message = str(error.value)
    assert all(name in message for name in ("HIPS_TEAMS_APP_ID", "HIPS_TEAMS_PUBLIC_HOST", "HIPS_TEAMS_APP_VERSION"))


def test_the_command_fails_without_a_traceback_when_the_app_id_is_missing(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("HIPS_TEAMS_APP_ID", raising=False)
    monkeypatch.setenv("HIPS_TEAMS_PUBLIC_HOST", HOST)
    assert main(["--out", str(tmp_path / "x.zip")]) == 1
    err = capsys.readouterr().err
    assert "HIPS_TEAMS_APP_ID: not a GUID" in err and "Traceback" not in err
    assert not (tmp_path / "x.zip").exists()


def test_the_command_builds_from_the_environment_with_the_service_version(monkeypatch, tmp_path):
    monkeypatch.setenv("HIPS_TEAMS_APP_ID", APP_ID)
    monkeypatch.setenv("HIPS_TEAMS_PUBLIC_HOST", HOST)
    monkeypatch.delenv("HIPS_TEAMS_APP_VERSION", raising=False)
    assert main(["--out", str(tmp_path / "app.zip")]) == 0
    manifest = json.loads(zipfile.ZipFile(tmp_path / "app.zip").read("manifest.json"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
