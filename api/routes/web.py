"""The web channel's pages and files: the chat page at ``/``, the embeddable widget and its emergency lines.

The emergency lines are rendered into the page on the server, so they show even when the chat backend
or JavaScript fails. ``api/main.py`` does not mount static files; the widget's files are served here.
"""

import html
from pathlib import Path
from string import Template

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from api.deps import RepliesDep

router = APIRouter(tags=["web"])

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
_PAGE = Template((STATIC_DIR / "index.html").read_text(encoding="utf-8"))

# Our own pages load only our own files; no other site may frame them.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# The widget's files are fetched by partner sites: revalidate so a fix reaches them at once.
ASSET_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}


def emergency_list_items(lines: list[dict[str, str]]) -> str:
    """The emergency lines as ``<li>`` items, escaped, in the markup the widget itself renders.

    Args:
        lines: ``{"label", "phone"}`` dicts, 999 first.

    Returns:
        HTML for the banner's list.
    """
    return "".join(
        f'<li><span class="hips-line-label">{html.escape(line["label"])}</span> '
        f'<a href="tel:{html.escape(line["phone"].replace(" ", ""))}">{html.escape(line["phone"])}</a></li>'
        for line in lines
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def chat_page(replies: RepliesDep) -> HTMLResponse:
    """Serve the chat page with the emergency banner already in the HTML."""
    page = _PAGE.substitute(emergency_lines=emergency_list_items(replies.emergency_payload()))
    return HTMLResponse(page, headers=PAGE_HEADERS)


@router.get("/embed-example", response_class=HTMLResponse, include_in_schema=False)
async def embed_example() -> FileResponse:
    """A plain page that adds the widget with one script tag, as a partner website would."""
    return FileResponse(STATIC_DIR / "embed-example.html", media_type="text/html", headers=PAGE_HEADERS)


@router.get("/widget.js", include_in_schema=False)
async def widget_script() -> FileResponse:
    """The embeddable widget (one file, no dependencies)."""
    return FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8", headers=ASSET_HEADERS)


@router.get("/widget.css", include_in_schema=False)
async def widget_styles() -> FileResponse:
    """The widget's styles, all scoped to the widget."""
    return FileResponse(STATIC_DIR / "widget.css", media_type="text/css; charset=utf-8", headers=ASSET_HEADERS)


@router.get("/widget/emergency.json", include_in_schema=False)
async def widget_emergency_lines(replies: RepliesDep) -> JSONResponse:
    """The emergency lines for a widget on a partner page, which has no server-rendered banner.

    Public, fixed information: any site may read it.
    """
    return JSONResponse(
        {"emergency": replies.emergency_payload()},
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"},
    )
