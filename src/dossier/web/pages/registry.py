"""Pages: registry (being written)."""

from fastapi import APIRouter

router = APIRouter()
