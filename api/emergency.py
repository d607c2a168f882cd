"""The emergency route as a list of lines, built from the areas' data (never hard-coded)."""

from api.safe_reply import EmergencyLine
from pathways.model import ThresholdModel


def emergency_lines(model: ThresholdModel) -> tuple[EmergencyLine, ...]:
    """999 first, then each area's MASH line, then the out-of-hours lines (each number once)."""
    lines = [EmergencyLine(label="A child in immediate danger", phone=model.next_steps.emergency_number)]
    for area in model.areas.values():
        door = area.front_door
        how = door.professionals_phone or door.public_phone or door.online_form
        if how:
            lines.append(EmergencyLine(label=f"{area.display_name}: {door.name}", phone=how))
    out_of_hours: dict[str, list[str]] = {}
    for area in model.areas.values():
        out_of_hours.setdefault(area.out_of_hours.phone, []).append(area.display_name)
    for phone, names in out_of_hours.items():
        lines.append(EmergencyLine(label=f"Out of hours ({', '.join(names)})", phone=phone))
    return tuple(lines)
