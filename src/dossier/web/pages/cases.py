"""Pages: cases (being written)."""

from fastapi import APIRouter

router = APIRouter()
