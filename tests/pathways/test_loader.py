"""Invalid threshold YAML is rejected at load, with file, line and field, all problems in one run."""

import shutil
from pathlib import Path

import pytest

from pathways.errors import ModelError
from pathways.loader import load_model

PATHWAYS_DIR = Path(__file__).resolve().parents[2] / "pathways"


@pytest.fixture
def pathways_copy(tmp_path) -> Path:
    target = tmp_path / "pathways"
    shutil.copytree(PATHWAYS_DIR / "model", target / "model")
    shutil.copytree(PATHWAYS_DIR / "areas", target / "areas")
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ModelError) as caught:
        load_model(root)
    return [str(p) for p in caught.value.problems]


def test_the_real_model_loads(model):
    assert len(model.gates) >= 7 and len(model.indicators) >= 20 and set(model.areas) == {
        "southampton", "portsmouth", "hampshire", "isle_of_wight"}


def test_every_problem_is_reported_with_file_line_and_field_in_one_run(pathways_copy):
    edit(pathways_copy / "model" / "gates.yml", "    route: emergency\n", "    route: soon\n")
    edit(pathways_copy / "areas" / "portsmouth.yml", "display_name: Portsmouth",
         "display_name: Portsmouth\ncolour: blue")
    edit(pathways_copy / "model" / "levels.yml", "    route: universal", "    route: universal\n    route: mash")
    problems = problems_of(pathways_copy)
    gates_line = next(i for i, line in enumerate((pathways_copy / "model" / "gates.yml").read_text().splitlines(), 1)
                      if "route: soon" in line)
    assert any(p.startswith(f"pathways/model/gates.yml:{gates_line}: gates[0].route:") and '(got "soon")' in p
               for p in problems), problems
    assert "pathways/areas/portsmouth.yml:4: colour: unknown field" in problems
    assert any(p.startswith("pathways/model/levels.yml:") and "duplicate key" in p for p in problems), problems


def test_a_question_pointing_at_an_unknown_rule_or_guidance_id_is_rejected(pathways_copy):
    edit(pathways_copy / "model" / "questions.yml", "fires: [gate_immediate_danger]", "fires: [gate_made_up]")
    edit(pathways_copy / "model" / "gates.yml", "guidance: [infants-marks-on-non-mobile-babies",
         "guidance: [infants-invented-id")
    problems = problems_of(pathways_copy)
    assert any("questions.yml:" in p and 'unknown rule "gate_made_up"' in p for p in problems), problems
    assert any("gates.yml:" in p and 'unknown guidance id "infants-invented-id"' in p for p in problems), problems


def test_a_broken_triage_pattern_is_rejected(pathways_copy):
    edit(pathways_copy / "model" / "triage_patterns.yml", "'\\bdisclos\\w*'", "'\\bdisclos(\\w*'")
    assert any("triage_patterns.yml:" in p and "not a valid pattern" in p for p in problems_of(pathways_copy))


def test_the_check_command_prints_problems_and_fails(pathways_copy, capsys):
    from pathways.loader import main

    edit(pathways_copy / "areas" / "hampshire.yml", "id: hampshire", "id: hants")
    assert main(["check", str(pathways_copy)]) == 1
    err = capsys.readouterr().err
    assert "pathways/areas/hampshire.yml:3: id:" in err and "Traceback" not in err
