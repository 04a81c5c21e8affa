"""Envelope encryption of item content at rest: a fresh AES-256-GCM data key per item, wrapped by a
master key from settings, and a chunked stream format so a 100 MB file never sits in memory at once.

Stream format (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár): a 16-byte header
`b"KHX1" | chunk size (u32) | 8-byte random nonce prefix`, then chunks of `chunk size` plaintext bytes,
each sealed with nonce = prefix | index (u32) and AAD = header | index (u32) | final flag (u8), the last
chunk (possibly empty) flagged final. Reordering, truncation, extension, or a changed byte fails
authentication and raises TamperedContent before any byte of that chunk is released.

A wrapped data key records the id of the master key that wrapped it and is bound to its item id
(AES-GCM with the item id in the AAD), so rotation re-wraps keys without touching content and a key
moved to another item does not unwrap.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import os
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kakehashi.exchange.errors import InvalidMasterKey, KeyUnwrapFailed, TamperedContent, UnknownMasterKey

MAGIC = b"KHX1"
CHUNK_SIZE = 1 << 20
MAX_CHUNK_SIZE = 64 << 20
TAG_SIZE = 16
_HEADER = struct.Struct(">4sI8s")
_WRAP_CONTEXT = b"kakehashi/exchange/data-key/v1\x00"


@dataclass(frozen=True, slots=True)
class MasterKey:
    """A 32-byte master key and its id (a fingerprint, so settings need not name keys)."""

    key: bytes = field(repr=False)
    key_id: str = ""

    def __post_init__(self) -> None:
        if len(self.key) != 32:
            raise InvalidMasterKey("a master key is 32 bytes (AES-256)", field="master_key")
        if not self.key_id:
            digest = hashlib.sha256(b"kakehashi exchange master key id\x00" + self.key).hexdigest()
            object.__setattr__(self, "key_id", digest[:16])


@dataclass(frozen=True, slots=True)
class Keyring:
    """The current master key (wraps new keys) and the retired ones still able to unwrap."""

    current: MasterKey
    retired: tuple[MasterKey, ...] = ()

    def find(self, key_id: str) -> MasterKey:
        """The master key with this id, or UnknownMasterKey."""
        for key in (self.current, *self.retired):
            if key.key_id == key_id:
                return key
        raise UnknownMasterKey(f"master key {key_id} is not configured", field="master_key")


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A data key sealed under a master key, stored next to the item with the master key id."""

    master_key_id: str
    blob: bytes


def keyring_from_settings(current: bytes, retired: Iterable[bytes] = ()) -> Keyring:
    """Build a keyring from raw master keys as settings deliver them (current first)."""
    return Keyring(MasterKey(current), tuple(MasterKey(k) for k in retired))


def parse_master_key(text: str) -> bytes:
    """Decode a master key written in settings as 64 hex digits or base64 of 32 bytes."""
    text = text.strip()
    try:
        key = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise InvalidMasterKey("a master key is 64 hex digits or base64 of 32 bytes",
                               field="master_key") from exc
    if len(key) != 32:
        raise InvalidMasterKey("a master key is 32 bytes (AES-256)", field="master_key")
    return key


def parse_keyring(text: str) -> Keyring:
    """The keyring from a settings value: the current master key first, then retired ones still needed
    to unwrap, separated by commas or whitespace (KAKEHASHI_MASTER_KEY="NEW,OLD" during a rotation)."""
    parts = [part for part in text.replace(",", " ").split() if part]
    if not parts:
        raise InvalidMasterKey("no master key is configured", field="master_key")
    return keyring_from_settings(parse_master_key(parts[0]), [parse_master_key(p) for p in parts[1:]])


def new_data_key() -> bytes:
    """A fresh random AES-256 data key for one item."""
    return AESGCM.generate_key(bit_length=256)


def wrap_data_key(data_key: bytes, *, item_id: str, master: MasterKey) -> WrappedKey:
    """Seal a data key under a master key, bound to the item it belongs to."""
    nonce = os.urandom(12)
    sealed = AESGCM(master.key).encrypt(nonce, data_key, _wrap_aad(item_id, master.key_id))
    return WrappedKey(master.key_id, nonce + sealed)


def unwrap_data_key(wrapped: WrappedKey, *, item_id: str, keyring: Keyring) -> bytes:
    """Open a wrapped data key; KeyUnwrapFailed if it was altered or belongs to another item."""
    master = keyring.find(wrapped.master_key_id)
    try:
        return AESGCM(master.key).decrypt(wrapped.blob[:12], wrapped.blob[12:],
                                          _wrap_aad(item_id, master.key_id))
    except (InvalidTag, ValueError) as exc:
        raise KeyUnwrapFailed(f"the data key of item {item_id} does not authenticate",
                              field="content") from exc


def rewrap_data_key(wrapped: WrappedKey, *, item_id: str, keyring: Keyring) -> WrappedKey:
    """Re-wrap a data key under the keyring's current master key (content is untouched)."""
    if wrapped.master_key_id == keyring.current.key_id:
        return wrapped
    data_key = unwrap_data_key(wrapped, item_id=item_id, keyring=keyring)
    return wrap_data_key(data_key, item_id=item_id, master=keyring.current)


def _wrap_aad(item_id: str, key_id: str) -> bytes:
    return _WRAP_CONTEXT + item_id.encode() + b"\x00" + key_id.encode()


def encrypt_stream(src: BinaryIO, dst: BinaryIO, data_key: bytes, *, chunk_size: int = CHUNK_SIZE) -> int:
    """Encrypt `src` into `dst` chunk by chunk; return the number of ciphertext bytes written."""
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError("chunk size out of range")
    header = _HEADER.pack(MAGIC, chunk_size, os.urandom(8))
    aead, prefix = AESGCM(data_key), header[8:]
    written = dst.write(header)
    chunk, index = _read_full(src, chunk_size), 0
    while True:
        following = _read_full(src, chunk_size) if len(chunk) == chunk_size else b""
        final = not following
        written += dst.write(aead.encrypt(prefix + index.to_bytes(4, "big"), chunk,
                                          _chunk_aad(header, index, final)))
        if final:
            return written
        chunk, index = following, index + 1


def iter_decrypt(src: BinaryIO, data_key: bytes) -> Iterator[bytes]:
    """Yield plaintext chunks of a stream, each only after it authenticated; TamperedContent if not."""
    header = _read_full(src, _HEADER.size)
    if len(header) != _HEADER.size:
        raise TamperedContent("the ciphertext is shorter than its header", field="content")
    magic, chunk_size, prefix = _HEADER.unpack(header)
    if magic != MAGIC or not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise TamperedContent("the ciphertext header is not ours", field="content")
    aead, sealed_size = AESGCM(data_key), chunk_size + TAG_SIZE
    sealed, index = _read_full(src, sealed_size), 0
    while True:
        following = _read_full(src, sealed_size) if len(sealed) == sealed_size else b""
        final = not following
        try:
            yield aead.decrypt(prefix + index.to_bytes(4, "big"), sealed, _chunk_aad(header, index, final))
        except (InvalidTag, ValueError) as exc:
            raise TamperedContent(f"chunk {index} failed authentication (altered, moved or truncated)",
                                  field="content") from exc
        if final:
            return
        sealed, index = following, index + 1


def decrypt_stream(src: BinaryIO, dst: BinaryIO, data_key: bytes) -> int:
    """Decrypt `src` into `dst`; return the plaintext size. On tampering `dst` holds a prefix only."""
    written = 0
    for chunk in iter_decrypt(src, data_key):
        written += dst.write(chunk)
    return written


def encrypt_bytes(plaintext: bytes, data_key: bytes, *, chunk_size: int = CHUNK_SIZE) -> bytes:
    """Encrypt a small payload in the stream format (convenience for tests and small items)."""
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(plaintext), out, data_key, chunk_size=chunk_size)
    return out.getvalue()


def decrypt_bytes(ciphertext: bytes, data_key: bytes) -> bytes:
    """Decrypt a whole payload in the stream format; TamperedContent if any part fails."""
    return b"".join(iter_decrypt(io.BytesIO(ciphertext), data_key))


def _chunk_aad(header: bytes, index: int, final: bool) -> bytes:
    return header + index.to_bytes(4, "big") + (b"\x01" if final else b"\x00")


def _read_full(src: BinaryIO, size: int) -> bytes:
    """Read exactly `size` bytes unless the stream ends first (pipes and sockets return short reads)."""
    data = src.read(size)
    if len(data) == size or not data:
        return data
    parts = [data]
    remaining = size - len(data)
    while remaining:
        more = src.read(remaining)
        if not more:
            break
        parts.append(more)
        remaining -= len(more)
    return b"".join(parts)
