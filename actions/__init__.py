"""Rasa custom actions: thin adapters from slots to the pathways and knowledge packages."""
