# Python 3.11 image for the action server and the FastAPI service (same code, different command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    HF_HUB_DISABLE_PROGRESS_BARS=1 PYTHONPATH=/app
WORKDIR /app
COPY requirements/app.txt requirements/app.txt
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && pip install --no-cache-dir -r requirements/app.txt
COPY knowledge knowledge
COPY pathways pathways
COPY privacy privacy
COPY audit audit
COPY actions actions
COPY api api
COPY scripts scripts
# A non-root user; it owns only what it writes: the index (reloads) and the audit trail volume.
RUN useradd --create-home --uid 10001 app \
 && mkdir -p /app/var /data/audit && chown -R app /app/var /data/audit
USER app
# The index is an artefact: built into the image so every replica serves the same content.
RUN python -m knowledge build
EXPOSE 8000 5055
CMD ["python", "-m", "uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000", "--no-access-log"]
