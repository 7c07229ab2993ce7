"""Screens of the editorial app: each module exposes `router: APIRouter`; `create_app` includes them all."""
