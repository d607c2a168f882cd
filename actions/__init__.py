"""Rasa custom actions: thin adapters from slots to the pathways and knowledge packages.

With ``HIPS_ACTIONS_PRELOAD=1`` (set by the service runner) the threshold model and the guidance index
load when the action server imports this package, so the server is healthy only once it can answer fast.
"""

import os

if os.environ.get("HIPS_ACTIONS_PRELOAD") == "1":
    from actions.runtime import guidance_service, threshold_model

    threshold_model()
    guidance_service()
