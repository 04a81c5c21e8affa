"""Pages of results: one shape for list pages, API listings and CLI exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # far beyond any list we hold; keeps OFFSET well inside what every database accepts


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of `items` out of `total`, numbered from 1."""

    items: list[T]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def clamp(page: int, size: int) -> tuple[int, int, int]:
    """Sanitise page/size and return (page, size, offset)."""
    page = min(max(1, page), MAX_PAGE)
    size = min(max(1, size), MAX_PAGE_SIZE)
    return page, size, (page - 1) * size
