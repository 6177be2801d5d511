"""The pages' own stylesheets and scripts, and the browser libraries installed from npm.

The libraries are not committed: scripts/setup.sh installs them with `npm ci` into
`web/frontend/node_modules`, and only the files named in VENDOR are served from there.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from dossier.web.errors import NotFound

WEB = Path(__file__).resolve().parent.parent
STATIC = WEB / "static"
NODE_MODULES = WEB / "frontend" / "node_modules"
VENDOR = {
    "chart.js": "chart.js/dist/chart.umd.min.js",
    "cytoscape.js": "cytoscape/dist/cytoscape.min.js",
}
TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
CACHE = {"Cache-Control": "public, max-age=3600"}

router = APIRouter()


@router.get("/static/vendor/{name}", include_in_schema=False)
def vendor(name: str) -> FileResponse:
    """A browser library from npm (404 naming the fix when setup has not installed it)."""
    if name not in VENDOR:
        raise NotFound(f"no library {name!r}")
    path = NODE_MODULES / VENDOR[name]
    if not path.is_file():
        raise NotFound(f"{name} is not installed: run scripts/setup.sh (npm ci in "
                       f"{NODE_MODULES.parent})")
    return FileResponse(path, media_type="text/javascript", headers=CACHE)


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    """Browsers ask for it whatever the page says."""
    return FileResponse(STATIC / "favicon.svg", media_type=TYPES[".svg"], headers=CACHE)


@router.get("/static/{name}", include_in_schema=False)
def own(name: str) -> FileResponse:
    """One of the pages' own files: a flat folder, nothing outside it."""
    path = STATIC / name
    if "/" in name or name.startswith(".") or path.suffix not in TYPES or not path.is_file():
        raise NotFound(f"no file {name!r}")
    return FileResponse(path, media_type=TYPES[path.suffix], headers=CACHE)
