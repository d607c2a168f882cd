"""Start the Rasa 3.6 server with three small, tested adjustments (ADR 0009); runs in .venv-rasa (Python 3.10).

``python -m rasa_runtime run ...`` takes the same arguments as ``rasa run``.
"""
