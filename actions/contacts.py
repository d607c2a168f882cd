"""Contact lines for an area (or every area when it is not known), from the areas' data."""

from pathways.model import ThresholdModel


def area_contact_lines(model: ThresholdModel, area: str | None) -> list[str]:
    """999 first, then the MASH and out-of-hours lines of the area, or of every area if unknown."""
    lines = [f"A child in immediate danger: call {model.next_steps.emergency_number}"]
    areas = [model.areas[area]] if area in model.areas else list(model.areas.values())
    for contacts in areas:
        door = contacts.front_door
        how = door.professionals_phone or door.public_phone or door.online_form or "see the partnership website"
        lines.append(f"{contacts.display_name}: {door.name}: {how}")
        night = contacts.out_of_hours
        lines.append(f"{contacts.display_name} out of hours: {night.name} {night.phone}")
    return lines


def area_forms(model: ThresholdModel, area: str | None) -> list[str]:
    """The forms a practitioner completes for a MASH contact in the area (every area if unknown)."""
    areas = [model.areas[area]] if area in model.areas else list(model.areas.values())
    return [f"{contacts.display_name}: {form.name} - {form.when}" for contacts in areas for form in contacts.forms]
