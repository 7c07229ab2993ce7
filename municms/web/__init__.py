"""The editorial web app under /yonetim/ (FastAPI + Jinja2, server-rendered, Turkish): `create_app`.

Extension points for the screens and the JSON API, all declared here and in `app.py`:
- a module of `municms.web.views` exposing `router: APIRouter` is included by `create_app`; every POST of
  its routes has its CSRF token verified before the view runs (`csrf_field()` in the form's template);
- `municms.web.api` (if the package exists) exposes `router` with the prefix `/api/v1`;
- dependencies `current_actor` (session cookie → authenticated Actor) and `require_role(*roles)`
  (`municms.web.session`); `render(request, template, context, actor=…)` (`municms.web.templating`).
A form posts to its own address, so an expired session can keep it as a draft for that screen.
"""

from .app import create_app

__all__ = ["create_app"]
