"""The web chat page at ``/`` with the emergency banner rendered on the server."""

import html
from pathlib import Path
from string import Template

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import RepliesDep

router = APIRouter(tags=["web"])

_PAGE = Template((Path(__file__).resolve().parent.parent / "static" / "index.html").read_text(encoding="utf-8"))


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def chat_page(replies: RepliesDep) -> HTMLResponse:
    """Serve the chat page. The emergency lines are in the HTML itself, so they show even
    when every backend is down."""
    items = "".join(
        f'<li><span class="label">{html.escape(line["label"])}</span> '
        f'<a href="tel:{html.escape(line["phone"].replace(" ", ""))}">{html.escape(line["phone"])}</a></li>'
        for line in replies.emergency_payload()
    )
    return HTMLResponse(_PAGE.substitute(emergency_lines=items))
