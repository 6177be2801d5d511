"""Pages: victims (being written)."""

from fastapi import APIRouter

router = APIRouter()
