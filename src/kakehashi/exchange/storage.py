"""Item content at rest: the ciphertext stream of crypto.py cut into database rows of 1 MiB, written
as it is produced and read back row by row, so a 100 MB file never sits in memory whole.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import IO, BinaryIO

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from kakehashi.exchange import crypto
from kakehashi.exchange.models import ContentChunk, Item

ROW_SIZE = 1 << 20


class _RowWriter(io.RawIOBase):
    """A write-only stream that inserts a row each time ROW_SIZE bytes have accumulated."""

    def __init__(self, session: Session, item_id: int) -> None:
        self.session, self.item_id = session, item_id
        self.buffer = bytearray()
        self.rows = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.buffer += data
        while len(self.buffer) >= ROW_SIZE:
            self._insert(bytes(self.buffer[:ROW_SIZE]))
            del self.buffer[:ROW_SIZE]
        return len(data)

    def finish(self) -> int:
        if self.buffer or not self.rows:
            self._insert(bytes(self.buffer))
            self.buffer.clear()
        return self.rows

    def _insert(self, data: bytes) -> None:
        self.session.execute(insert(ContentChunk), [{"item_id": self.item_id, "seq": self.rows, "data": data}])
        self.rows += 1


class _RowReader(io.RawIOBase):
    """A read-only stream over an item's rows in order, one row in memory at a time."""

    def __init__(self, session: Session, item_id: int) -> None:
        self.session, self.item_id = session, item_id
        self.seq, self.current, self.offset = 0, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.offset >= len(self.current):
            row = self.session.scalar(select(ContentChunk.data).where(
                ContentChunk.item_id == self.item_id, ContentChunk.seq == self.seq))
            if row is None:
                return 0
            self.current, self.offset, self.seq = bytes(row), 0, self.seq + 1
        n = min(len(target), len(self.current) - self.offset)
        target[:n] = self.current[self.offset : self.offset + n]
        self.offset += n
        return n


def store_content(session: Session, item: Item, source: BinaryIO, data_key: bytes) -> int:
    """Encrypt `source` into the item's rows; return the number of rows written."""
    writer = _RowWriter(session, item.id)
    crypto.encrypt_stream(source, writer, data_key)  # type: ignore[arg-type]
    return writer.finish()


def spool_ciphertext(session: Session, item_id: int) -> IO[bytes]:
    """Copy the item's ciphertext into a temporary spool (memory, then disk: ciphertext only), so the
    response can be streamed after the request's database session is gone."""
    spool = tempfile.SpooledTemporaryFile(max_size=16 << 20)  # noqa: SIM115 - handed to the caller
    reader = _buffered(session, item_id)
    while chunk := reader.read(ROW_SIZE):
        spool.write(chunk)
    spool.seek(0)
    return spool


def verify_spool(spool: IO[bytes], data_key: bytes) -> int:
    """Authenticate every chunk without keeping the plaintext; return its size or raise TamperedContent."""
    size = 0
    for chunk in crypto.iter_decrypt(spool, data_key):  # type: ignore[arg-type]
        size += len(chunk)
    spool.seek(0)
    return size


def plaintext_chunks(spool: IO[bytes], data_key: bytes) -> Iterator[bytes]:
    """Yield the plaintext of a verified spool chunk by chunk, closing the spool at the end."""
    try:
        yield from crypto.iter_decrypt(spool, data_key)  # type: ignore[arg-type]
    finally:
        spool.close()


def erase_content(session: Session, item_id: int) -> int:
    """Delete the item's ciphertext rows (retention); return how many were deleted."""
    count = session.scalar(select(func.count()).select_from(ContentChunk).where(ContentChunk.item_id == item_id)) or 0
    session.execute(delete(ContentChunk).where(ContentChunk.item_id == item_id))
    return int(count)


def _buffered(session: Session, item_id: int) -> BinaryIO:
    return io.BufferedReader(_RowReader(session, item_id), ROW_SIZE)
