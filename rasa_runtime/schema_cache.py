"""Check each JSON schema once, not on every call.

Rasa 3.6 validates every action server response with ``jsonschema.validate(result, schema)``, which
first re-validates the *schema* against the draft 2020-12 meta-schema. Profiled under load that
meta-schema check was about half of the Rasa server's CPU. This ``validate`` keeps the behaviour —
the schema is still checked (once), the instance is validated every time, the same best-matching
``ValidationError`` is raised — and only drops the repeated meta-schema check.
"""

import json
from typing import Any

import jsonschema
from jsonschema import exceptions, validators

MAX_SCHEMAS = 64
_original_validate = jsonschema.validate
_checked: dict[tuple[Any, str], Any] = {}


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """``jsonschema.validate`` with the schema check and validator construction cached per schema."""
    if args or kwargs or not isinstance(schema, dict):
        return _original_validate(instance, schema, cls, *args, **kwargs)
    key = (cls, json.dumps(schema, sort_keys=True, default=repr))
    validator = _checked.get(key)
    if validator is None:
        validator_class = cls or validators.validator_for(schema)
        validator_class.check_schema(schema)
        validator = validator_class(schema)
        if len(_checked) < MAX_SCHEMAS:
            _checked[key] = validator
    error = exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error
    return None


def install() -> None:
    """Replace ``jsonschema.validate``; Rasa imports it inside its functions, so they pick this up."""
    jsonschema.validate = validate
