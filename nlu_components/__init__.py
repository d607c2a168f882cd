"""Custom Rasa NLU components (loaded by `rasa train` through PYTHONPATH=repo root, see the Makefile)."""
