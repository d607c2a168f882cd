# Rasa 3.6.21 on Python 3.10: serves the trained dialogue model (an artefact built by `make train`).
FROM python:3.10-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false \
    PYTHONPATH=/app
WORKDIR /app
COPY requirements/rasa.txt requirements/rasa.txt
RUN pip install --no-cache-dir -r requirements/rasa.txt
COPY endpoints.yml credentials.yml ./
# The log filter that withholds message text (standard library only; ADR 0007).
COPY api/__init__.py api/__init__.py
COPY api/observability/__init__.py api/observability/rasa_log_filter.py api/observability/rasa_logging.yml api/observability/
# `rasa run` with the schema-check cache and SQL pre-ping (ADR 0009).
COPY rasa_runtime rasa_runtime
COPY models/hips.tar.gz models/hips.tar.gz
RUN useradd --create-home --uid 10001 rasa && chown -R rasa /app
USER rasa
EXPOSE 5005
# --quiet and the redacting log configuration: no message text in Rasa's log (checked in tests/ops).
CMD ["python", "-m", "rasa_runtime", "run", "--model", "models/hips.tar.gz", "--endpoints", "endpoints.yml", "--credentials", "credentials.yml", "--port", "5005", "--quiet", "--logging-config-file", "api/observability/rasa_logging.yml"]
