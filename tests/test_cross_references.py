"""The parts link up: every guidance id the threshold model cites exists in the knowledge base."""

from api.settings import REPO_ROOT
from knowledge.validate import validate_guidance
from pathways.loader import load_model


def test_every_guidance_id_the_pathways_cite_is_a_real_guidance_item():
    model = load_model(REPO_ROOT / "pathways")
    report = validate_guidance(
        REPO_ROOT / "knowledge" / "guidance", REPO_ROOT / "knowledge" / "toolkits.yml", sorted(model.areas)
    )
    known = {item.id for item in report.items}
    assert known, "no guidance items loaded"
    missing = sorted(model.guidance_ids - known)
    assert missing == [], f"cited by pathways but not in knowledge/guidance: {missing}"


def test_the_areas_of_guidance_and_pathways_agree():
    model = load_model(REPO_ROOT / "pathways")
    assert set(model.areas) == {"southampton", "portsmouth", "hampshire", "isle_of_wight"}
